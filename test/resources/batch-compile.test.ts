import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import type { DesiredNode } from '../../src/resources/kind.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'manifest');
const DATA = join(FIXTURES, 'data', 'interactions.csv');

function manifest(job: string, retrain = 'on-data-change'): string {
  return `version: 1
name: shop
region: us-east-1
schemas:
  interactions: ${join(FIXTURES, 'schemas', 'interactions.avsc')}
datasetGroups:
  main:
    datasets:
      interactions: { schema: interactions, data: ${DATA} }
    solutions:
      personal: { recipe: aws-user-personalization, retrain: ${retrain} }
    filters:
      not-bought: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")' }
    batchInferenceJobs:
      nightly: ${job}
    metricAttribution:
      metrics: [ { name: b, eventType: buy, expression: 'SAMPLECOUNT()' }, { name: a, eventType: click, expression: 'SUM(Items.PRICE)' } ]
`;
}

/** Batch nodes are a pure function of poc.yaml, the input's bytes and the data's hashes. */
describe('compiling batch jobs and metric attribution', () => {
  let dir: string;
  const compile = async (text: string, dataSha = 'a'.repeat(64)): Promise<Map<string, DesiredNode>> => {
    const loaded = await parseManifest(text, join(dir, 'poc.yaml'));
    if (loaded.manifest === undefined) throw new Error(JSON.stringify(loaded.diagnostics));
    const graph = compileDesiredGraph(loaded.manifest, { dataHashes: new Map([[DATA, dataSha]]) });
    return new Map(graph.nodes.map((n) => [n.address, n]));
  };
  const JOB = 'datasetGroup.main.batchInferenceJob.nightly';
  const BASE = '{ solution: personal, input: users.jsonl, output: out, numResults: 5, filter: not-bought }';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'poc-batch-compile-'));
    writeFileSync(join(dir, 'users.jsonl'), '{"userId": "u1"}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a job after the version, the upload and the filter, its download after it, and the metric attribution', async () => {
    const nodes = await compile(manifest(BASE));
    const job = nodes.get(JOB);
    expect(job?.name).toMatch(/^shop-main-nightly-[0-9a-f]{8}$/);
    expect(job?.kind).toBe('batchInferenceJob');
    expect(job?.cost).toEqual(['batch-job']);
    expect(job?.properties).toMatchObject({ solution: 'shop-main-personal', numResults: 5, filter: 'shop-main-not-bought', input: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(job?.properties['trainedOn']).toBe(nodes.get('datasetGroup.main.solution.personal.version')?.inputs?.['dataFingerprint']);
    expect(job?.dependsOn).toEqual(['datasetGroup.main.solution.personal.version', 'environment', 'datasetGroup.main.filter.not-bought', 'upload.users.jsonl']);
    expect(nodes.get('upload.users.jsonl')?.inputs?.['file']).toBe(join(dir, 'users.jsonl'));
    const results = nodes.get(`${JOB}.results`);
    expect(results).toMatchObject({ kind: 'batchResults', dependsOn: [JOB], properties: { job: job?.inputs?.['contentHash'] }, inputs: { folder: join(dir, 'out') } });
    expect(nodes.get('datasetGroup.main.metricAttribution')).toMatchObject({
      name: 'shop-main-metrics',
      properties: { datasetGroup: 'shop-main', output: null, metrics: [{ name: 'a' }, { name: 'b' }] },
    });
  });

  it('names a new job for new input bytes, new data or new settings, and the same job otherwise', async () => {
    const name = async (text: string, sha?: string): Promise<string | undefined> => (await compile(text, sha)).get(JOB)?.name;
    const base = await name(manifest(BASE));
    expect(await name(manifest(BASE))).toBe(base);
    expect(await name(manifest(BASE), 'b'.repeat(64))).not.toBe(base);
    expect(await name(manifest(BASE.replace('numResults: 5', 'numResults: 6')))).not.toBe(base);
    expect(await name(manifest(BASE.replace(', filter: not-bought', '')))).not.toBe(base);
    writeFileSync(join(dir, 'users.jsonl'), '{"userId": "u2"}\n');
    expect(await name(manifest(BASE))).not.toBe(base);
  });

  it('under retrain: manual, follows no data fingerprint, as the version does not', async () => {
    const before = (await compile(manifest(BASE, 'manual'))).get(JOB);
    const after = (await compile(manifest(BASE, 'manual'), 'c'.repeat(64))).get(JOB);
    expect(before?.properties['trainedOn']).toBeUndefined();
    expect(after?.name).toBe(before?.name);
  });

  it('reads an s3:// input as it is, with no upload', async () => {
    const nodes = await compile(manifest(BASE.replace('input: users.jsonl', "input: 's3://bucket/in/'")));
    expect(nodes.get(JOB)?.properties['input']).toBe('s3://bucket/in/');
    expect(nodes.get(JOB)?.inputs?.['inputUri']).toBe('s3://bucket/in/');
    expect([...nodes.keys()].filter((a) => a.startsWith('upload.'))).toEqual(['upload.' + DATA]);
  });
});
