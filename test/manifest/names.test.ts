import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsName, groupAwsName } from '../../src/manifest/naming.ts';
import { parseManifest } from '../../src/manifest/load.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import { INTERACTIONS_SCHEMA } from '../data/helpers.ts';

const SHA = 'f'.repeat(64);

/** A POC directory with one schema and one data file, and poc.yaml text built around them. */
function pocDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-names-'));
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'schemas', 'interactions.avsc'), JSON.stringify(INTERACTIONS_SCHEMA));
  writeFileSync(join(dir, 'data', 'interactions.csv'), 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\n');
  return dir;
}

const ADOPTED = `version: 1
name: shop
region: us-east-1
environment:
  existing: { bucket: console-bucket, roleArn: arn:aws:iam::123456789012:role/Console }
schemas:
  interactions: { file: schemas/interactions.avsc, name: console-schema }
datasetGroups:
  main:
    name: ConsoleRetail
    kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/abc
    datasets:
      interactions:
        schema: interactions
        data: data/interactions.csv
        name: console-interactions
        importedFrom: s3://console-bucket/uploads/interactions.csv
    solutions:
      sims: { name: my-sims, recipe: aws-sims, retrain: manual }
`;

describe('AWS name overrides in poc.yaml', () => {
  it('resolve to the override when there is one, else to the generated name', () => {
    expect(awsName('ConsoleRetail', 'shop-main')).toBe('ConsoleRetail');
    expect(awsName(undefined, 'shop-main')).toBe('shop-main');
    expect(groupAwsName('shop', { key: 'main' })).toBe('shop-main');
    expect(groupAwsName('shop', { key: 'main', name: 'ConsoleRetail' })).toBe('ConsoleRetail');
  });

  it('name the group, dataset, schema and solution in the plan, and their references follow', async () => {
    const dir = pocDir();
    const { manifest, diagnostics } = await parseManifest(ADOPTED, join(dir, 'poc.yaml'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (manifest === undefined) throw new Error('no manifest');
    const graph = compileDesiredGraph(manifest, { dataHashes: new Map([[join(dir, 'data', 'interactions.csv'), SHA]]) });
    const node = (address: string) => graph.nodes.find((n) => n.address === address);
    expect(node('schema.interactions')?.name).toBe('console-schema');
    expect(node('datasetGroup.main')).toMatchObject({ name: 'ConsoleRetail', properties: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' }, dependsOn: ['environment'] });
    expect(node('datasetGroup.main.dataset.interactions')).toMatchObject({ name: 'console-interactions', properties: { datasetGroup: 'ConsoleRetail', schema: 'console-schema' } });
    expect(node('datasetGroup.main.dataset.interactions.import')).toMatchObject({
      properties: { dataset: 'console-interactions' },
      inputs: { datasetGroup: 'ConsoleRetail', datasetType: 'INTERACTIONS', adoptedFrom: 's3://console-bucket/uploads/interactions.csv' },
    });
    expect(node('upload.data/interactions.csv')?.inputs?.['adoptedFrom']).toBe('s3://console-bucket/uploads/interactions.csv');
    expect(node('datasetGroup.main.solution.sims')).toMatchObject({ name: 'my-sims', properties: { datasetGroup: 'ConsoleRetail' } });
    expect(node('datasetGroup.main.solution.sims.version')).toMatchObject({ name: 'my-sims', properties: { solution: 'my-sims' }, inputs: { datasetGroup: 'ConsoleRetail' } });
  });

  it('leave generated names alone where poc.yaml names nothing', async () => {
    const dir = pocDir();
    const plain = ADOPTED.replace('    name: ConsoleRetail\n', '').replace('        name: console-interactions\n', '').replace('{ file: schemas/interactions.avsc, name: console-schema }', 'schemas/interactions.avsc').replace('name: my-sims, ', '');
    const { manifest } = await parseManifest(plain, join(dir, 'poc.yaml'));
    if (manifest === undefined) throw new Error('no manifest');
    const graph = compileDesiredGraph(manifest, { dataHashes: new Map([[join(dir, 'data', 'interactions.csv'), SHA]]) });
    expect(graph.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['shop-main', 'shop-main-interactions', 'shop-main-sims']));
    expect(graph.nodes.find((n) => n.kind === 'schema')?.name).toMatch(/^shop-interactions-[0-9a-f]{8}$/);
  });

  it('are checked against the service name rule at their own lines', async () => {
    const dir = pocDir();
    const bad = ADOPTED.replace('name: ConsoleRetail', 'name: Console Retail').replace('name: console-schema', `name: ${'s'.repeat(64)}`).replace('name: my-sims', 'name: -sims');
    const { manifest, diagnostics } = await parseManifest(bad, join(dir, 'poc.yaml'));
    expect(manifest).toBeUndefined();
    const lines = diagnostics.filter((d) => d.severity === 'error').map((d) => d.line);
    const lineOf = (text: string) => bad.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(lines).toEqual(expect.arrayContaining([lineOf('name: Console Retail'), lineOf('name: ssss'), lineOf('name: -sims')]));
  });

  it('refuse an importedFrom that is not one S3 object', async () => {
    const dir = pocDir();
    const bad = ADOPTED.replace('s3://console-bucket/uploads/interactions.csv', 's3://console-bucket/uploads/');
    const { diagnostics } = await parseManifest(bad, join(dir, 'poc.yaml'));
    expect(diagnostics.some((d) => d.severity === 'error' && d.line === bad.split('\n').findIndex((l) => l.includes('importedFrom')) + 1)).toBe(true);
  });
});
