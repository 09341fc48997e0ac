import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.ts';
import { applyPlan } from '../../src/apply/executor.ts';
import { makePlan } from '../../src/apply/make-plan.ts';
import { QuotaQueue } from '../../src/apply/quota.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { KindRegistry } from '../../src/plan/kind-registry.ts';
import type { ObservedResource, ResourceKind } from '../../src/resources/kind.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('quota queue', () => {
  it('runs at most the limit at once, serves waiters in order, and runs everything', async () => {
    const queue = new QuotaQueue({ import: 2, training: 20, batch: 5 });
    let now = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        queue.run('import', async () => {
          now += 1;
          peak = Math.max(peak, now);
          order.push(i);
          await tick(10);
          now -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(queue.inProgress('import')).toBe(0);
  });

  it('a failing holder frees its slot', async () => {
    const queue = new QuotaQueue({ import: 1, training: 1, batch: 1 });
    await expect(queue.run('training', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await queue.run('training', async () => 'next')).toBe('next');
  });
});

/** Imports that take a while to become ready and that the "service" refuses past 5 in progress. */
function importKind(inProgress: { now: number; peak: number }, live: Map<string, ObservedResource>): ResourceKind {
  const readyAt = new Map<string, number>();
  const view = (name: string): ObservedResource | undefined => {
    const r = live.get(name);
    if (r === undefined) return undefined;
    const ready = Date.now() >= (readyAt.get(name) ?? 0);
    if (ready && r.readiness === 'pending') {
      inProgress.now -= 1;
      live.set(name, { ...r, status: 'ACTIVE', readiness: 'ready' });
    }
    return live.get(name);
  };
  return {
    kind: 'datasetImport',
    fields: {},
    deleteOrder: 1,
    supportsTags: false,
    quota: 'import',
    observe: async (_ctx, node) => view(node.name),
    listOwned: async () => [],
    async create(_ctx, node) {
      if (inProgress.now >= 5) throw Object.assign(new Error('More than 5 resources with PENDING or IN_PROGRESS status.'), { name: 'LimitExceededException' });
      inProgress.now += 1;
      inProgress.peak = Math.max(inProgress.peak, inProgress.now);
      readyAt.set(node.name, Date.now() + 30);
      const r: ObservedResource = { address: node.address, kind: 'datasetImport', name: node.name, id: node.name, status: 'CREATE PENDING', readiness: 'pending', properties: {}, tags: {} };
      live.set(node.name, r);
      return r;
    },
    delete: async () => undefined,
    refresh: async (_ctx, observed) => view(observed.name),
  };
}

describe('the executor queues creates by quota class', () => {
  it('twelve imports with concurrency 12 never exceed the 5-in-progress quota and all succeed', async () => {
    const counter = { now: 0, peak: 0 };
    const kind = importKind(counter, new Map());
    const kinds = { datasetImport: kind } as unknown as KindRegistry;
    const graph: DesiredGraph = { nodes: Array.from({ length: 12 }, (_, i) => ({ address: `import.${i}`, kind: 'datasetImport' as const, name: `imp-${i}`, properties: {}, dependsOn: [] })) } as unknown as DesiredGraph;
    const base = { clients: {} as never, pocName: 'q', region: 'us-east-1', ownerTags: {}, cache: new Map() };
    const { plan, live } = await makePlan(graph, kinds, base, { manifestPath: 'poc.yaml', manifestDigest: 'sha256:x', pocName: 'q', target: { region: 'us-east-1' }, prune: false, now: new Date(0) });
    const events: ApplyEvent[] = [];
    const result = await applyPlan(plan, graph, kinds, base, { live, concurrency: 12, poll: { initialMs: 5, maxMs: 10 }, onEvent: (e) => events.push(e) });
    expect(result.errors).toEqual([]);
    expect(result.succeeded).toHaveLength(12);
    expect(counter.peak).toBe(5);
    expect(events.some((e) => e.type === 'status' && e.status.startsWith('QUEUED (5 of 5 import'))).toBe(true);
  });
});
