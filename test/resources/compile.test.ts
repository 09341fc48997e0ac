import { describe, expect, it } from 'vitest';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import { topologicalOrder, validateGraph } from '../../src/plan/graph.ts';
import type { DesiredNode } from '../../src/resources/kind.ts';
import { datasetSpec, groupSpec, INTERACTIONS_FIELDS, ITEMS_FIELDS, manifestOf, schemaSpec, sha } from './manifest-fixture.ts';

const SHA_INTERACTIONS = sha('interactions v1');
const SHA_ITEMS = sha('items v1');

function twoGroupManifest(options: { kmsKeyArn?: string; itemsFields?: typeof ITEMS_FIELDS } = {}) {
  return manifestOf({
    environment: { mode: 'stack', stackName: 'shop-env', ...(options.kmsKeyArn === undefined ? {} : { kmsKeyArn: options.kmsKeyArn }) },
    schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS), schemaSpec('items', 'ITEMS', options.itemsFields ?? ITEMS_FIELDS)],
    groups: [
      groupSpec('baseline', { interactions: datasetSpec('interactions', 'interactions', 'data/interactions.csv') }),
      groupSpec(
        'meta',
        { interactions: datasetSpec('interactions', 'interactions', './data/interactions.csv', 'INCREMENTAL'), items: datasetSpec('items', 'items', 'data/items.csv') },
        { protect: true },
      ),
    ],
  });
}

const HASHES = new Map([
  ['/poc/data/interactions.csv', SHA_INTERACTIONS],
  ['/poc/data/items.csv', SHA_ITEMS],
]);

function node(nodes: readonly DesiredNode[], address: string): DesiredNode {
  const found = nodes.find((n) => n.address === address);
  if (found === undefined) throw new Error(`no node ${address} in ${nodes.map((n) => n.address).join(', ')}`);
  return found;
}

describe('compileDesiredGraph', () => {
  it('declares every resource once, by deterministic address and AWS name, in a valid DAG', () => {
    const graph = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    expect(graph.nodes.map((n) => `${n.address} ${n.kind} ${n.name}`)).toEqual([
      'environment environment shop-env',
      `schema.interactions schema shop-interactions-${schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS).sha256.slice(0, 8)}`,
      `schema.items schema shop-items-${schemaSpec('items', 'ITEMS', ITEMS_FIELDS).sha256.slice(0, 8)}`,
      'datasetGroup.baseline datasetGroup shop-baseline',
      'datasetGroup.baseline.dataset.interactions dataset shop-baseline-interactions',
      `upload.data/interactions.csv dataUpload shop/data/${SHA_INTERACTIONS}/interactions.csv`,
      `datasetGroup.baseline.dataset.interactions.import datasetImport shop-baseline-interactions-${SHA_INTERACTIONS.slice(0, 8)}`,
      'datasetGroup.meta datasetGroup shop-meta',
      'datasetGroup.meta.dataset.interactions dataset shop-meta-interactions',
      `datasetGroup.meta.dataset.interactions.import datasetImport shop-meta-interactions-${SHA_INTERACTIONS.slice(0, 8)}`,
      'datasetGroup.meta.dataset.items dataset shop-meta-items',
      `upload.data/items.csv dataUpload shop/data/${SHA_ITEMS}/items.csv`,
      `datasetGroup.meta.dataset.items.import datasetImport shop-meta-items-${SHA_ITEMS.slice(0, 8)}`,
    ]);
    expect(validateGraph(graph)).toEqual([]);
    expect(topologicalOrder(graph).ok).toBe(true);
  });

  it('shares one upload between datasets that use the same file, and each import depends on it', () => {
    const graph = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    const uploads = graph.nodes.filter((n) => n.kind === 'dataUpload');
    expect(uploads).toHaveLength(2);
    expect(node(graph.nodes, 'datasetGroup.meta.dataset.interactions.import').dependsOn).toContain('upload.data/interactions.csv');
    expect(node(graph.nodes, 'datasetGroup.baseline.dataset.interactions.import').dependsOn).toContain('upload.data/interactions.csv');
    expect(node(graph.nodes, 'upload.data/interactions.csv').inputs).toEqual({ file: '/poc/data/interactions.csv' });
  });

  it('references other resources by name, never by ARN, and carries what create needs', () => {
    const graph = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    const items = node(graph.nodes, 'datasetGroup.meta.dataset.items');
    expect(items.properties).toMatchObject({ datasetType: 'ITEMS', datasetGroup: 'shop-meta', schema: node(graph.nodes, 'schema.items').name });
    expect(items.properties['schemaFields']).toEqual([
      { name: 'ITEM_ID', type: 'string' },
      { name: 'CATEGORY', type: 'string', categorical: true },
    ]);
    expect(items.dependsOn).toEqual(['datasetGroup.meta', 'schema.items']);
    expect(JSON.stringify(graph)).not.toMatch(/arn:/);
    const imp = node(graph.nodes, 'datasetGroup.meta.dataset.interactions.import');
    expect(imp.properties).toEqual({ dataset: 'shop-meta-interactions', dataSha256: SHA_INTERACTIONS, importMode: 'INCREMENTAL' });
    expect(imp.cost).toEqual(['data-import']);
    expect(node(graph.nodes, 'schema.items').inputs?.['definition']).toBe(schemaSpec('items', 'ITEMS', ITEMS_FIELDS).canonical);
  });

  it('marks protected groups and their datasets, and points every node at its place in poc.yaml', () => {
    const graph = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    expect(node(graph.nodes, 'datasetGroup.meta').protect).toBe(true);
    expect(node(graph.nodes, 'datasetGroup.meta.dataset.items').protect).toBe(true);
    expect(node(graph.nodes, 'datasetGroup.baseline').protect).toBeUndefined();
    expect(node(graph.nodes, 'datasetGroup.meta').source).toMatchObject({ file: '/poc/poc.yaml', line: 10, path: 'datasetGroups.meta' });
    expect(node(graph.nodes, 'schema.items').source).toMatchObject({ line: 2, path: 'schemas.items' });
    expect(node(graph.nodes, 'upload.data/items.csv').source?.path).toBe('datasetGroups.meta.datasets.items.data');
  });

  it('changed data gives a new upload key and a new import name; unchanged data keeps both', () => {
    const before = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    const newSha = sha('interactions v2');
    const after = compileDesiredGraph(twoGroupManifest(), { dataHashes: new Map([...HASHES, ['/poc/data/interactions.csv', newSha]]) });
    const imp = (g: typeof before) => node(g.nodes, 'datasetGroup.baseline.dataset.interactions.import');
    expect(imp(after).name).toBe(`shop-baseline-interactions-${newSha.slice(0, 8)}`);
    expect(imp(after).properties['dataSha256']).toBe(newSha);
    expect(node(after.nodes, 'upload.data/interactions.csv').name).toBe(`shop/data/${newSha}/interactions.csv`);
    expect(node(after.nodes, 'datasetGroup.meta.dataset.items.import')).toEqual(node(before.nodes, 'datasetGroup.meta.dataset.items.import'));
  });

  it('a schema change is a new versioned schema name that the dataset then references', () => {
    const before = compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES });
    const after = compileDesiredGraph(twoGroupManifest({ itemsFields: [...ITEMS_FIELDS, { name: 'PRICE', type: ['null', 'float'] }] }), { dataHashes: HASHES });
    const schemaBefore = node(before.nodes, 'schema.items').name;
    const schemaAfter = node(after.nodes, 'schema.items').name;
    expect(schemaAfter).not.toBe(schemaBefore);
    expect(node(after.nodes, 'datasetGroup.meta.dataset.items').properties['schema']).toBe(schemaAfter);
    expect(node(after.nodes, 'schema.interactions')).toEqual(node(before.nodes, 'schema.interactions'));
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    const a = JSON.stringify(compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES }));
    const b = JSON.stringify(compileDesiredGraph(twoGroupManifest(), { dataHashes: new Map([...HASHES].reverse()) }));
    expect(a).toBe(b);
  });

  it('stack mode: template hash and parameters; KMS changes the template, adds the key and makes groups need the role', () => {
    const plain = node(compileDesiredGraph(twoGroupManifest(), { dataHashes: HASHES }).nodes, 'environment');
    const kmsArn = 'arn:aws:kms:us-east-1:111122223333:key/abc';
    const kmsGraph = compileDesiredGraph(twoGroupManifest({ kmsKeyArn: kmsArn }), { dataHashes: HASHES });
    const kms = node(kmsGraph.nodes, 'environment');
    expect(plain.properties).toMatchObject({ mode: 'stack', parameters: { PocName: 'shop' } });
    expect(plain.properties['template']).toMatch(/^[0-9a-f]{64}$/);
    expect(kms.properties['template']).not.toBe(plain.properties['template']);
    expect(kms.properties['parameters']).toEqual({ PocName: 'shop', KmsKeyArn: kmsArn });
    expect(node(kmsGraph.nodes, 'datasetGroup.baseline').properties).toEqual({ domain: null, kmsKeyArn: kmsArn });
    expect(node(kmsGraph.nodes, 'datasetGroup.baseline').dependsOn).toEqual(['environment']);
  });

  it('existing mode: the bucket and role come from the manifest', () => {
    const manifest = manifestOf({
      environment: { mode: 'existing', bucket: 'team-bucket', roleArn: 'arn:aws:iam::111122223333:role/p' },
      schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS, 'ECOMMERCE')],
      groups: [groupSpec('baseline', { interactions: datasetSpec('interactions', 'interactions', 'data/interactions.csv') }, { domain: 'ECOMMERCE' })],
    });
    const graph = compileDesiredGraph(manifest, { dataHashes: HASHES });
    expect(node(graph.nodes, 'environment')).toMatchObject({ name: 'team-bucket', properties: { mode: 'existing', bucket: 'team-bucket', roleArn: 'arn:aws:iam::111122223333:role/p' } });
    // The schema carries the domain the manifest gives it (that of the groups using it).
    expect(node(graph.nodes, 'schema.interactions').properties['domain']).toBe('ECOMMERCE');
    expect(node(graph.nodes, 'datasetGroup.baseline').properties).toEqual({ domain: 'ECOMMERCE', kmsKeyArn: null });
  });

  it('refuses to compile a dataset whose data was not hashed', () => {
    expect(() => compileDesiredGraph(twoGroupManifest(), { dataHashes: new Map() })).toThrow(/no sha256 for \/poc\/data\/interactions.csv/);
  });
});
