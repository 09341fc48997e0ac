import { describe, expect, it } from 'vitest';
import { observeLive } from '../../src/apply/observe.ts';
import { PocError } from '../../src/diagnostics/index.ts';
import type { ResourceKind } from '../../src/resources/kind.ts';
import { sampleGraph } from '../plan/builders.ts';
import { FakeCloud, fakeContext, fakeRegistry, OWNER_TAGS } from './fake-cloud.ts';

describe('observeLive', () => {
  it('does not call for a node whose dependency is absent', async () => {
    const cloud = new FakeCloud();
    cloud.seed({ kind: 'schema', address: 'schema.interactions', name: 'demo-interactions', properties: { schema: '{"v":1}' } });
    const live = await observeLive(sampleGraph(), fakeRegistry(cloud), fakeContext());
    expect(live.byAddress.get('schema.interactions')?.name).toBe('demo-interactions');
    expect([...live.byAddress.values()].filter((v) => v !== undefined)).toHaveLength(1);
    expect(cloud.calls.filter((c) => c.startsWith('observe'))).toEqual(['observe environment', 'observe schema.interactions', 'observe datasetGroup.baseline']);
  });

  it('finds tagged resources the graph does not declare, and gives colliding ones their own address', async () => {
    const cloud = new FakeCloud();
    cloud.seed({ kind: 'datasetGroup', address: 'datasetGroup.baseline', name: 'demo-baseline', properties: { domain: 'ECOMMERCE' }, tags: { ...OWNER_TAGS } });
    cloud.seed({ kind: 'datasetGroup', address: 'datasetGroup.baseline', name: 'demo-baseline-v1', tags: { ...OWNER_TAGS } });
    cloud.seed({ kind: 'datasetGroup', address: 'datasetGroup.other', name: 'someone-elses', tags: { 'poc:name': 'other' } });
    const live = await observeLive(sampleGraph(), fakeRegistry(cloud), fakeContext());
    expect(live.undeclared.map((r) => [r.address, r.name])).toEqual([['datasetGroup.demo-baseline-v1', 'demo-baseline-v1']]);
  });

  it('lets a kind resolve its observed dependencies, with bounded concurrency', async () => {
    const cloud = new FakeCloud();
    const graph = sampleGraph();
    for (const n of graph.nodes) cloud.seed({ kind: n.kind, address: n.address, name: n.name, properties: n.properties });
    const kinds = fakeRegistry(cloud);
    const dataset = kinds.dataset as ResourceKind;
    const resolved: (string | undefined)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const spying: ResourceKind = {
      ...dataset,
      observe: async (ctx, node) => {
        resolved.push(ctx.resolve('datasetGroup.baseline')?.name);
        return dataset.observe(ctx, node);
      },
    };
    const slow = (k: ResourceKind): ResourceKind => ({
      ...k,
      observe: async (ctx, node) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight -= 1;
        return k.observe(ctx, node);
      },
    });
    await observeLive(graph, { ...kinds, dataset: slow(spying), environment: slow(kinds.environment as ResourceKind), schema: slow(kinds.schema as ResourceKind), datasetGroup: slow(kinds.datasetGroup as ResourceKind) }, fakeContext(), { concurrency: 2 });
    expect(resolved).toEqual(['demo-baseline']);
    expect(maxInFlight).toBe(2);
  });

  it('starts kinds that find their parents themselves at once, and still makes whatever sits under an absent parent absent', async () => {
    const cloud = new FakeCloud({ latencyMs: 10 });
    const graph = sampleGraph();
    // Everything but the group: the fake kinds find the dataset and import by name regardless.
    for (const n of graph.nodes) if (n.kind !== 'datasetGroup') cloud.seed({ kind: n.kind, address: n.address, name: n.name, properties: n.properties });
    const kinds = fakeRegistry(cloud);
    let inFlight = 0;
    let maxInFlight = 0;
    const atOnce = (k: ResourceKind, parents: ResourceKind['parents']): ResourceKind => ({
      ...k,
      ...(parents === undefined ? {} : { parents }),
      observeAfter: [],
      observe: async (ctx, node) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await k.observe(ctx, node);
        } finally {
          inFlight -= 1;
        }
      },
    });
    const live = await observeLive(
      graph,
      {
        ...kinds,
        environment: atOnce(kinds.environment as ResourceKind, undefined),
        schema: atOnce(kinds.schema as ResourceKind, undefined),
        datasetGroup: atOnce(kinds.datasetGroup as ResourceKind, undefined),
        dataset: atOnce(kinds.dataset as ResourceKind, ['datasetGroup']),
        datasetImport: atOnce(kinds.datasetImport as ResourceKind, ['dataset']),
      },
      fakeContext(),
    );
    expect(maxInFlight).toBe(graph.nodes.length);
    expect(live.byAddress.get('schema.interactions')?.name).toBe('demo-interactions');
    expect(live.byAddress.get('environment')?.name).toBe('demo-env');
    // The dataset's parent is the group; the import's is the dataset, absent in turn.
    expect(live.byAddress.get('dataset.baseline.interactions')).toBeUndefined();
    expect(live.byAddress.get('datasetImport.baseline.interactions')).toBeUndefined();
  });

  it('collects every failed call into one error', async () => {
    const cloud = new FakeCloud();
    const kinds = fakeRegistry(cloud);
    const failing = (k: ResourceKind): ResourceKind => ({ ...k, observe: async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })) });
    const err = await observeLive(sampleGraph(), { ...kinds, environment: failing(kinds.environment as ResourceKind), schema: failing(kinds.schema as ResourceKind) }, fakeContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PocError);
    expect((err as PocError).diagnostics.map((d) => d.message)).toEqual([
      'Could not read environment: AccessDeniedException: denied',
      'Could not read schema.interactions: AccessDeniedException: denied',
    ]);
  });
});
