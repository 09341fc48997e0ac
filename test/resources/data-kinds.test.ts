import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { CreateDatasetGroupCommand, ListDatasetImportJobsCommand, UntagResourceCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvroField, DatasetKey } from '../../src/manifest/types.ts';
import { compareNode } from '../../src/plan/compare.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import { PocError } from '../../src/diagnostics/index.ts';
import type { DesiredNode, KindContext, ObservedResource } from '../../src/resources/kind.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { gone, interactionsCsv, settle, startHarness, type Harness } from './harness.ts';
import { datasetSpec, groupSpec, INTERACTIONS_FIELDS, ITEMS_FIELDS, manifestOf, schemaSpec, sha } from './manifest-fixture.ts';

const ROLE = 'arn:aws:iam::000000000000:role/poc-personalize';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface Scenario {
  readonly poc: string;
  readonly graph: DesiredGraph;
  readonly known: Map<string, ObservedResource>;
  readonly ctx: KindContext;
}

/** Writes the data files, creates the bucket and compiles an existing-mode POC. */
async function scenario(poc: string, files: Partial<Record<DatasetKey, string>>, itemsFields: readonly AvroField[] = ITEMS_FIELDS): Promise<Scenario> {
  const bucket = `${poc}-data`;
  await h.clients.s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  const datasets: Partial<Record<DatasetKey, ReturnType<typeof datasetSpec>>> = {};
  const hashes = new Map<string, string>();
  for (const [key, text] of Object.entries(files) as [DatasetKey, string][]) {
    const path = join(h.dir, `${poc}-${key}-${sha(text).slice(0, 6)}.csv`);
    writeFileSync(path, text);
    hashes.set(path, sha(text));
    datasets[key] = { ...datasetSpec(key, key, `data/${key}.csv`), data: path };
  }
  const manifest = manifestOf({
    name: poc,
    environment: { mode: 'existing', bucket, roleArn: ROLE },
    schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS), schemaSpec('items', 'ITEMS', itemsFields)],
    groups: [groupSpec('main', datasets)],
  });
  const known = new Map<string, ObservedResource>();
  return { poc, graph: compileDesiredGraph(manifest, { dataHashes: hashes }), known, ctx: h.context(poc, known) };
}

/** What apply does for a fresh account: observe, create what is absent, wait until settled. */
async function converge(s: Scenario): Promise<void> {
  for (const node of s.graph.nodes) {
    const kind = KINDS[node.kind];
    const observed = (await kind.observe(s.ctx, node)) ?? (await kind.create(s.ctx, node));
    s.known.set(node.address, await settle(kind, s.ctx, observed));
  }
}

function nodeAt(s: Scenario, address: string): DesiredNode {
  const node = s.graph.nodes.find((n) => n.address === address);
  if (node === undefined) throw new Error(`no ${address}`);
  return node;
}

describe('data kinds against the emulator', () => {
  it('creates environment, schemas, group, dataset, upload and an import that becomes ACTIVE; a second observe finds no differences at about two calls per resource', async () => {
    const s = await scenario('shop', { interactions: interactionsCsv(1200) });
    await converge(s);
    const imported = s.known.get('datasetGroup.main.dataset.interactions.import');
    expect(imported).toMatchObject({ status: 'ACTIVE', readiness: 'ready', name: nodeAt(s, 'datasetGroup.main.dataset.interactions.import').name });
    expect(imported?.properties['dataSha256']).toBe(nodeAt(s, 'datasetGroup.main.dataset.interactions.import').properties['dataSha256']);
    expect(s.known.get('datasetGroup.main')?.tags).toMatchObject({ 'poc:name': 'shop', 'poc:managed-by': 'personalize-poc' });
    const upload = s.known.get('upload.data/interactions.csv');
    const object = await h.clients.s3.send(new GetObjectCommand({ Bucket: 'shop-data', Key: upload?.name }));
    expect(await object.Body?.transformToString()).toBe(interactionsCsv(1200));

    // Re-observe with a fresh per-run cache, as `plan` would after `apply`.
    const ctx = h.context('shop', s.known);
    h.resetCalls();
    for (const node of s.graph.nodes) {
      const observed = await KINDS[node.kind].observe(ctx, node);
      expect(observed, node.address).toBeDefined();
      const cmp = compareNode(KINDS[node.kind], node, observed as ObservedResource, ctx.ownerTags);
      expect({ address: node.address, fields: cmp.fields.map((f) => f.field), tags: cmp.tags }).toEqual({ address: node.address, fields: [], tags: undefined });
    }
    // 6 resources: environment (HeadBucket), 2 schemas (shared List + Describe each), group
    // (List + Describe + tags), dataset (Describe + tags), upload (HeadObject), import (List + tags).
    expect(h.totalCalls()).toBeLessThanOrEqual(2 * s.graph.nodes.length);
    expect(h.calls.get('Personalize:ListSchemasCommand')).toBe(1);
  });

  it('a bad data file makes the import fail with the service reason; the retry of the same data takes a -NN name', async () => {
    const s = await scenario('badpoc', { interactions: interactionsCsv(1200, 'USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP_X') });
    await converge(s);
    const failed = s.known.get('datasetGroup.main.dataset.interactions.import') as ObservedResource;
    expect(failed.readiness).toBe('failed');
    expect(failed.status).toBe('CREATE FAILED');
    expect(failed.failureReason).toMatch(/TIMESTAMP/);

    const node = nodeAt(s, 'datasetGroup.main.dataset.interactions.import');
    const retried = await settle(KINDS.datasetImport, s.ctx, await KINDS.datasetImport.create(s.ctx, node));
    expect(retried.name).toBe(`${node.name}-02`);
    expect(retried.readiness).toBe('failed');
    // The newest job is what observe reports.
    expect((await KINDS.datasetImport.observe(h.context('badpoc', s.known), node))?.name).toBe(`${node.name}-02`);
  });

  it('new data is a new import job beside the old one, which stays as history', async () => {
    const s = await scenario('newdata', { interactions: interactionsCsv(1000) });
    await converge(s);
    const first = s.known.get('datasetGroup.main.dataset.interactions.import') as ObservedResource;
    const next = await scenario('newdata', { interactions: interactionsCsv(1100) });
    for (const address of ['environment', 'schema.interactions', 'datasetGroup.main', 'datasetGroup.main.dataset.interactions']) next.known.set(address, s.known.get(address) as ObservedResource);
    const upload = nodeAt(next, 'upload.data/interactions.csv');
    next.known.set(upload.address, await KINDS.dataUpload.create(next.ctx, upload));
    const node = nodeAt(next, 'datasetGroup.main.dataset.interactions.import');
    const cmp = compareNode(KINDS.datasetImport, node, (await KINDS.datasetImport.observe(next.ctx, node)) as ObservedResource, next.ctx.ownerTags);
    expect(cmp.fields.map((f) => [f.field, f.semantics, f.data])).toEqual([['dataSha256', 'create-only', true]]);
    const second = await settle(KINDS.datasetImport, next.ctx, await KINDS.datasetImport.create(next.ctx, node));
    expect(second).toMatchObject({ readiness: 'ready', name: node.name, properties: { dataSha256: sha(interactionsCsv(1100)) } });
    expect(second.name).not.toBe(first.name);
    expect(await KINDS.datasetImport.refresh(next.ctx, first)).toMatchObject({ status: 'ACTIVE' });
    expect((await KINDS.datasetImport.observe(h.context('newdata', next.known), node))?.id).toBe(second.id);
  });

  it('ownership tags removed outside poc.yaml are seen and put back by update', async () => {
    const s = await scenario('retag', { interactions: interactionsCsv(1000) });
    await converge(s);
    const group = s.known.get('datasetGroup.main') as ObservedResource;
    await h.clients.personalize.send(new UntagResourceCommand({ resourceArn: group.id, tagKeys: ['poc:managed-by'] }));
    const node = nodeAt(s, 'datasetGroup.main');
    const drifted = (await KINDS.datasetGroup.observe(h.context('retag'), node)) as ObservedResource;
    expect(compareNode(KINDS.datasetGroup, node, drifted, s.ctx.ownerTags).tags?.before).toEqual({ 'poc:name': 'retag' });
    const fixed = await (KINDS.datasetGroup.update as NonNullable<typeof KINDS.datasetGroup.update>)(s.ctx, node, drifted, ['tags']);
    expect(fixed.tags).toMatchObject(s.ctx.ownerTags);
    expect(compareNode(KINDS.datasetGroup, node, (await KINDS.datasetGroup.observe(h.context('retag'), node)) as ObservedResource, s.ctx.ownerTags).tags).toBeUndefined();
  });

  it('create adopts what already exists instead of failing (a crashed run resumed)', async () => {
    const s = await scenario('again', { interactions: interactionsCsv(1000) });
    await converge(s);
    for (const node of s.graph.nodes) {
      const adopted = await KINDS[node.kind].create(h.context('again', s.known), node);
      expect(adopted.id, node.address).toBe(s.known.get(node.address)?.id);
    }
    const imports = await h.clients.personalize.send(new ListDatasetImportJobsCommand({ datasetArn: s.known.get('datasetGroup.main.dataset.interactions')?.id }));
    expect(imports.datasetImportJobs).toHaveLength(1);
  });

  it('a compatible Items schema change is an UpdateDataset; the same change on Interactions is a replacement', async () => {
    const s = await scenario('schemas', { interactions: interactionsCsv(1000), items: 'ITEM_ID,CATEGORY\ni1,shoes\n' });
    await converge(s);
    const wider: AvroField[] = [...ITEMS_FIELDS, { name: 'PRICE', type: ['null', 'float'] }];
    const next = await scenario('schemas', { interactions: interactionsCsv(1000), items: 'ITEM_ID,CATEGORY\ni1,shoes\n' }, wider);
    const ctx = h.context('schemas', s.known);
    const itemsSchema = nodeAt(next, 'schema.items');
    // At plan time the new schema does not exist yet; the dataset is found through its group and
    // the live schema is read to decide.
    s.known.delete('schema.items');
    expect(await KINDS.schema.observe(ctx, itemsSchema)).toBeUndefined();
    const items = nodeAt(next, 'datasetGroup.main.dataset.items');
    const before = (await KINDS.dataset.observe(ctx, items)) as ObservedResource;
    const cmp = compareNode(KINDS.dataset, items, before, ctx.ownerTags);
    expect(cmp.fields.map((f) => [f.field, f.semantics])).toEqual([
      ['schema', 'in-place'],
      ['schemaFields', 'in-place'],
    ]);
    expect(KINDS.dataset.parents).toEqual(['datasetGroup']);
    s.known.set('schema.items', await KINDS.schema.create(ctx, itemsSchema));
    const updated = await settle(KINDS.dataset, ctx, await (KINDS.dataset.update as NonNullable<typeof KINDS.dataset.update>)(ctx, items, before, ['schema']));
    expect(updated.properties['schema']).toBe(itemsSchema.name);
    expect(updated.id).toBe(before.id);
    expect(compareNode(KINDS.dataset, items, (await KINDS.dataset.observe(h.context('schemas', s.known), items)) as ObservedResource, ctx.ownerTags).fields).toEqual([]);

    // Interactions: even a nullable added field forces a new dataset.
    const interactions = nodeAt(s, 'datasetGroup.main.dataset.interactions');
    const widerInteractions = { ...interactions, properties: { ...interactions.properties, schema: 'schemas-interactions-ffffffff', schemaFields: [...(interactions.properties['schemaFields'] as object[]), { name: 'X', type: ['null', 'string'] }] } } as DesiredNode;
    const live = (await KINDS.dataset.observe(ctx, interactions)) as ObservedResource;
    const forced = compareNode(KINDS.dataset, widerInteractions, live, ctx.ownerTags).fields.filter((f) => f.semantics === 'replace');
    expect(forced.map((f) => f.field)).toEqual(['schema', 'schemaFields']);
  });

  it('domain and KMS key are set at creation, observed back, and a change to either forces replacement', async () => {
    const ctx = h.context('kmspoc', new Map([['environment', { address: 'environment', kind: 'environment', name: 'b', id: 's3://b', status: 'EXISTS', readiness: 'ready', properties: { bucket: 'b', roleArn: ROLE }, tags: {} } as ObservedResource]]));
    const kmsKeyArn = 'arn:aws:kms:us-east-1:000000000000:key/k1';
    const node: DesiredNode = { address: 'datasetGroup.shop', kind: 'datasetGroup', name: 'kmspoc-shop', properties: { domain: 'ECOMMERCE', kmsKeyArn }, dependsOn: ['environment'] };
    const created = await settle(KINDS.datasetGroup, ctx, await KINDS.datasetGroup.create(ctx, node));
    expect(created.properties).toEqual({ domain: 'ECOMMERCE', kmsKeyArn });
    const observed = (await KINDS.datasetGroup.observe(h.context('kmspoc'), node)) as ObservedResource;
    expect(compareNode(KINDS.datasetGroup, node, observed, ctx.ownerTags).fields).toEqual([]);
    const changed = { ...node, properties: { domain: 'VIDEO_ON_DEMAND', kmsKeyArn: null } };
    expect(compareNode(KINDS.datasetGroup, changed, observed, ctx.ownerTags).fields.map((f) => [f.field, f.semantics])).toEqual([
      ['domain', 'replace'],
      ['kmsKeyArn', 'replace'],
    ]);
  });

  it('listOwned finds an undeclared group carrying our tags, and ignores other POCs and untagged groups', async () => {
    const s = await scenario('owned', { interactions: interactionsCsv(1000) });
    await converge(s);
    const extra: DesiredNode = { address: 'datasetGroup.old', kind: 'datasetGroup', name: 'owned-old', properties: { domain: null, kmsKeyArn: null }, dependsOn: [] };
    await settle(KINDS.datasetGroup, s.ctx, await KINDS.datasetGroup.create(s.ctx, extra));
    await KINDS.datasetGroup.create(h.context('ownedother'), { ...extra, name: 'ownedother-x' });
    await h.clients.personalize.send(new CreateDatasetGroupCommand({ name: 'owned-untagged' }));

    const groups = await KINDS.datasetGroup.listOwned(h.context('owned'));
    expect(groups.map((g) => `${g.address} ${g.name}`).sort()).toEqual(['datasetGroup.main owned-main', 'datasetGroup.old owned-old']);
    const datasets = await KINDS.dataset.listOwned(h.context('owned'));
    expect(datasets.map((d) => d.address)).toEqual(['datasetGroup.main.dataset.interactions']);
    const schemas = await KINDS.schema.listOwned(h.context('owned'));
    expect(schemas.map((x) => x.name).sort()).toEqual(s.graph.nodes.filter((n) => n.kind === 'schema').map((n) => n.name).sort());
  });

  it('deletes in the safe order: dataset, then schema, then group, each observed gone', async () => {
    const s = await scenario('gone', { interactions: interactionsCsv(1000) });
    await converge(s);
    const order = ['datasetGroup.main.dataset.interactions', 'schema.interactions', 'datasetGroup.main'];
    expect(order.map((a) => KINDS[nodeAt(s, a).kind].deleteOrder)).toEqual([...order.map((a) => KINDS[nodeAt(s, a).kind].deleteOrder)].sort((a, b) => a - b));
    for (const address of order) {
      const observed = s.known.get(address) as ObservedResource;
      const kind = KINDS[observed.kind];
      await kind.delete(s.ctx, observed);
      await gone(kind, s.ctx, observed);
      expect(await kind.observe(h.context('gone', s.known), nodeAt(s, address))).toBeUndefined();
    }
  });

  it('uploads a file bigger than one part with multipart, content-addressed and never twice', async () => {
    const big = interactionsCsv(240_000);
    expect(Buffer.byteLength(big)).toBeGreaterThan(5 * 1024 * 1024);
    const s = await scenario('bigpoc', { interactions: big });
    s.known.set('environment', (await KINDS.environment.create(s.ctx, nodeAt(s, 'environment'))) as ObservedResource);
    const node = nodeAt(s, 'upload.data/interactions.csv');
    expect(await KINDS.dataUpload.observe(s.ctx, node)).toBeUndefined();
    h.resetCalls();
    const created = await KINDS.dataUpload.create(s.ctx, node);
    expect(h.calls.get('S3:CompleteMultipartUploadCommand')).toBe(1);
    expect(created).toMatchObject({ name: `bigpoc/data/${sha(big)}/${node.inputs?.['file']?.split('/').pop()}`, readiness: 'ready', properties: { sha256: sha(big) } });
    h.resetCalls();
    expect((await KINDS.dataUpload.create(s.ctx, node)).id).toBe(created.id);
    expect(h.calls.get('S3:PutObjectCommand') ?? 0).toBe(0);
    expect(h.calls.get('S3:CreateMultipartUploadCommand') ?? 0).toBe(0);
    await KINDS.dataUpload.delete(s.ctx, created);
    expect(await KINDS.dataUpload.refresh(s.ctx, created)).toBeUndefined();
  });

  it('refuses to upload a file that changed after it was planned', async () => {
    const s = await scenario('edited', { interactions: interactionsCsv(1000) });
    s.known.set('environment', (await KINDS.environment.create(s.ctx, nodeAt(s, 'environment'))) as ObservedResource);
    const node = nodeAt(s, 'upload.data/interactions.csv');
    writeFileSync(node.inputs?.['file'] as string, interactionsCsv(1001));
    const err = await KINDS.dataUpload.create(s.ctx, node).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PocError);
    expect((err as PocError).diagnostics[0]?.code).toBe('data-changed-since-plan');
    expect(await KINDS.dataUpload.observe(s.ctx, node)).toBeUndefined();
  });

  it('existing environment: observe reports a missing bucket as absent and create names it', async () => {
    const ctx = h.context('nobucket');
    const node: DesiredNode = { address: 'environment', kind: 'environment', name: 'nobucket-data', properties: { mode: 'existing', bucket: 'nobucket-data', roleArn: ROLE }, dependsOn: [] };
    expect(await KINDS.environment.observe(ctx, node)).toBeUndefined();
    await expect(KINDS.environment.create(ctx, node)).rejects.toThrow(/"nobucket-data"/);
    await h.clients.s3.send(new CreateBucketCommand({ Bucket: 'nobucket-data' }));
    expect(await KINDS.environment.observe(ctx, node)).toMatchObject({ readiness: 'ready', properties: { bucket: 'nobucket-data', roleArn: ROLE } });
  });
});
