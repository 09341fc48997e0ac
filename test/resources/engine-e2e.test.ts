import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import { makePlan } from '../../src/apply/make-plan.ts';
import type { BaseContext } from '../../src/apply/observe.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { AvroField } from '../../src/manifest/types.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { interactionsCsv, startHarness, type Harness } from './harness.ts';
import { datasetSpec, groupSpec, INTERACTIONS_FIELDS, ITEMS_FIELDS, manifestOf, schemaSpec, sha } from './manifest-fixture.ts';

// The real kinds under the engine's observe, plan and apply: apply converges, then plan is empty.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const POLL = { initialMs: 5, maxMs: 50, timeoutMs: 30_000 };

function graphWith(items: string, options: { stack?: boolean; itemsFields?: readonly AvroField[] } = {}): DesiredGraph {
  const stack = options.stack === true;
  const files = { interactions: interactionsCsv(1000), items };
  const hashes = new Map<string, string>();
  const datasets: Record<string, ReturnType<typeof datasetSpec>> = {};
  for (const [key, text] of Object.entries(files) as ['interactions' | 'items', string][]) {
    const path = join(h.dir, `e2e-${key}-${sha(text).slice(0, 6)}.csv`);
    writeFileSync(path, text);
    hashes.set(path, sha(text));
    datasets[key] = { ...datasetSpec(key, key, `data/${key}.csv`), data: path };
  }
  const manifest = manifestOf({
    name: stack ? 'e2es' : 'e2e',
    environment: stack ? { mode: 'stack', stackName: 'e2es-env' } : { mode: 'existing', bucket: 'e2e-data', roleArn: 'arn:aws:iam::000000000000:role/e2e' },
    schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS), schemaSpec('items', 'ITEMS', options.itemsFields ?? ITEMS_FIELDS)],
    groups: [groupSpec('main', datasets)],
  });
  return compileDesiredGraph(manifest, { dataHashes: hashes });
}

async function plan(graph: DesiredGraph, base: BaseContext) {
  const options = { manifestPath: '/poc/poc.yaml', manifestDigest: 'x', pocName: base.pocName, target: { region: 'us-east-1' }, prune: false, now: new Date(0) };
  return makePlan(graph, KINDS, { ...base, cache: new Map() }, options);
}

describe('kinds under the engine', () => {
  it('apply converges, a second plan has no changes, edited data plans an upload and an import, a compatible schema an UpdateDataset', async () => {
    await h.clients.s3.send(new CreateBucketCommand({ Bucket: 'e2e-data' }));
    const { resolve: _unused, ...base } = h.context('e2e');
    const graph = graphWith('ITEM_ID,CATEGORY\ni1,shoes\n');

    const first = await plan(graph, base);
    expect(first.plan.summary).toMatchObject({ create: graph.nodes.length - 1, noop: 1 });
    const applied = await applyPlan(first.plan, graph, KINDS, { ...base, cache: new Map() }, { poll: POLL, live: first.live });
    expect(applied.errors).toEqual([]);
    expect(applied.failed).toEqual([]);

    const second = await plan(graph, base);
    expect(second.plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.reasons.join(',')}`)).toEqual([]);

    const edited = graphWith('ITEM_ID,CATEGORY\ni1,shoes\ni2,hats\n');
    const third = await plan(edited, base);
    const acting = third.plan.changes.filter((c) => c.actions[0] !== 'no-op');
    expect(acting.map((c) => `${c.address} ${c.actions.join('+')} ${c.reasons.join(',')}`)).toEqual([
      'upload.data/items.csv create absent',
      'datasetGroup.main.dataset.items.import create data-changed',
    ]);
    expect(acting.flatMap((c) => c.cost)).toEqual(['storage', 'data-import']);
    const reapplied = await applyPlan(third.plan, edited, KINDS, { ...base, cache: new Map() }, { poll: POLL, live: third.live });
    expect(reapplied.failed).toEqual([]);
    expect((await plan(edited, base)).plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });

    // A compatible Items schema (a new nullable column) is a new schema plus UpdateDataset.
    const wider = graphWith('ITEM_ID,CATEGORY\ni1,shoes\ni2,hats\n', { itemsFields: [...ITEMS_FIELDS, { name: 'PRICE', type: ['null', 'float'] }] });
    const fourth = await plan(wider, base);
    expect(fourth.plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('+')}`)).toEqual([
      'schema.items create',
      'datasetGroup.main.dataset.items update',
    ]);
    const evolved = await applyPlan(fourth.plan, wider, KINDS, { ...base, cache: new Map() }, { poll: POLL, live: fourth.live });
    expect(evolved.failed).toEqual([]);
    const after = await plan(wider, base);
    expect(after.plan.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(after.live.byAddress.get('datasetGroup.main.dataset.items')?.properties['schema']).toBe(wider.nodes.find((n) => n.address === 'schema.items')?.name);
  });

  it('a stack environment: the plan shows its change set rows, apply creates it, and the data lands in its bucket', async () => {
    const { resolve: _unused, ...base } = h.context('e2es');
    const graph = graphWith('ITEM_ID,CATEGORY\ni1,shoes\n', { stack: true });
    const first = await plan(graph, base);
    const envChange = first.plan.changes.find((c) => c.address === 'environment');
    expect(envChange?.actions).toEqual(['create']);
    expect(envChange?.details?.[0]?.rows.map((r) => r['ResourceType'])).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::IAM::Role']);
    const applied = await applyPlan(first.plan, graph, KINDS, { ...base, cache: new Map() }, { poll: POLL, live: first.live });
    expect(applied.errors).toEqual([]);
    const second = await plan(graph, base);
    expect(second.plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => c.address)).toEqual([]);
    const upload = second.live.byAddress.get('upload.data/items.csv');
    expect(upload?.id).toBe(`s3://${String(second.live.byAddress.get('environment')?.properties['bucket'])}/e2es/data/${sha('ITEM_ID,CATEGORY\ni1,shoes\n')}/${upload?.name.split('/').pop()}`);
  });
});
