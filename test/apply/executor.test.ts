import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import type { ApplyEvent } from '../../src/apply/events.ts';
import { makePlan } from '../../src/apply/make-plan.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { DesiredNode } from '../../src/resources/kind.ts';
import { sampleGraph } from '../plan/builders.ts';
import { FakeCloud, fakeContext, fakeRegistry, OWNER_TAGS } from './fake-cloud.ts';

const POLL = { initialMs: 1, maxMs: 2, timeoutMs: 5_000 };
const PLAN_OPTIONS = { manifestPath: 'poc.yaml', manifestDigest: 'sha256:x', pocName: 'demo', target: { region: 'us-east-1' }, prune: false, now: new Date(0), toolVersion: '0.1.0' };

async function planAndApply(cloud: FakeCloud, graph: DesiredGraph, extra: { concurrency?: number; prune?: boolean } = {}) {
  const kinds = fakeRegistry(cloud);
  const ctx = fakeContext();
  const { plan, live } = await makePlan(graph, kinds, ctx, { ...PLAN_OPTIONS, prune: extra.prune ?? false });
  const events: ApplyEvent[] = [];
  const result = await applyPlan(plan, graph, kinds, ctx, { concurrency: extra.concurrency ?? 4, poll: POLL, live, onEvent: (e) => events.push(e) });
  return { plan, result, events, kinds, ctx };
}

/** `n` independent dataset groups, each with one dataset. */
function wideGraph(n: number): DesiredGraph {
  const nodes: DesiredNode[] = [];
  for (let i = 0; i < n; i += 1) {
    nodes.push({ address: `datasetGroup.g${i}`, kind: 'datasetGroup', name: `demo-g${i}`, properties: { domain: 'ECOMMERCE' }, dependsOn: [] });
    nodes.push({ address: `dataset.g${i}`, kind: 'dataset', name: `demo-g${i}-interactions`, properties: { datasetType: 'INTERACTIONS' }, dependsOn: [`datasetGroup.g${i}`] });
  }
  return { nodes };
}

describe('applyPlan', () => {
  it('creates everything, then a new plan has no changes', async () => {
    const cloud = new FakeCloud();
    const graph = sampleGraph();
    const { result } = await planAndApply(cloud, graph);
    expect(result).toEqual({ succeeded: graph.nodes.map((n) => n.address).sort(), failed: [], skipped: [], errors: [] });
    expect(cloud.find('datasetGroup', 'demo-baseline')).toMatchObject({ status: 'ACTIVE', tags: OWNER_TAGS });
    const again = await makePlan(graph, fakeRegistry(cloud), fakeContext(), PLAN_OPTIONS);
    expect(again.plan.changes.every((c) => c.actions[0] === 'no-op')).toBe(true);
  });

  it('runs independent branches in parallel up to the bound, and no further', async () => {
    const parallel = new FakeCloud({ latencyMs: 30 });
    const t0 = Date.now();
    await planAndApply(parallel, wideGraph(6), { concurrency: 3 });
    const parallelMs = Date.now() - t0;
    expect(parallel.maxInFlight).toBe(3);

    const serial = new FakeCloud({ latencyMs: 30 });
    const t1 = Date.now();
    await planAndApply(serial, wideGraph(6), { concurrency: 1 });
    const serialMs = Date.now() - t1;
    expect(serial.maxInFlight).toBe(1);
    expect(parallelMs).toBeLessThan(serialMs);
  });

  it('skips only the dependents of a failed step', async () => {
    const cloud = new FakeCloud();
    cloud.failCreate.set('demo-g1', 'Create failed. Not enough permissions.');
    const { result, events } = await planAndApply(cloud, wideGraph(3));
    expect(result.failed).toEqual(['datasetGroup.g1']);
    expect(result.skipped).toEqual(['dataset.g1']);
    expect(result.succeeded).toEqual(['dataset.g0', 'dataset.g2', 'datasetGroup.g0', 'datasetGroup.g2']);
    expect(result.errors[0]?.message).toBe('datasetGroup.g1: create failed: Create failed. Not enough permissions.');
    expect(events).toContainEqual({ type: 'skipped', id: 'dataset.g1#create', address: 'dataset.g1', op: 'create', because: 'datasetGroup.g1#create' });
  });

  it('reports an SDK error as the step failure', async () => {
    const cloud = new FakeCloud();
    cloud.throwOnCreate.set('demo-g0', 'More than 5 resources with PENDING or IN_PROGRESS status.');
    const { result } = await planAndApply(cloud, wideGraph(1));
    expect(result.failed).toEqual(['datasetGroup.g0']);
    expect(result.errors[0]?.message).toContain('LimitExceededException: More than 5 resources');
  });

  it('replaces by deleting dependents, then the resource, waiting until gone, then creating', async () => {
    const cloud = new FakeCloud({ settleAfterPolls: 3 });
    const graph = sampleGraph();
    await planAndApply(cloud, graph);
    const oldGroupId = cloud.find('datasetGroup', 'demo-baseline')?.id;
    cloud.calls.length = 0;
    const changed = sampleGraph({ 'datasetGroup.baseline': { properties: { domain: 'VIDEO_ON_DEMAND' } } });
    const { plan, result } = await planAndApply(cloud, changed);
    expect(plan.summary).toMatchObject({ replace: 2, create: 1 });
    expect(result.failed).toEqual([]);
    const mutations = cloud.calls.filter((c) => !c.startsWith('refresh') && !c.startsWith('observe') && !c.startsWith('list'));
    expect(mutations).toEqual(['delete dataset.baseline.interactions', 'delete datasetGroup.baseline', 'create datasetGroup.baseline', 'create dataset.baseline.interactions', 'create datasetImport.baseline.interactions']);
    // The group's create came only after its delete had been polled away.
    const deleteAt = cloud.calls.indexOf('delete datasetGroup.baseline');
    const createAt = cloud.calls.indexOf('create datasetGroup.baseline');
    expect(cloud.calls.slice(deleteAt, createAt).filter((c) => c === 'refresh datasetGroup.baseline')).toHaveLength(3);
    expect(cloud.find('datasetGroup', 'demo-baseline')).toMatchObject({ status: 'ACTIVE', properties: { domain: 'VIDEO_ON_DEMAND' } });
    expect(cloud.find('datasetGroup', 'demo-baseline')?.id).not.toBe(oldGroupId);
  });

  it('adopts a resource a racing run created instead of failing on "already exists"', async () => {
    const cloud = new FakeCloud();
    cloud.racingCreates.add('demo-g0');
    const { result, events } = await planAndApply(cloud, wideGraph(1));
    expect(result.failed).toEqual([]);
    expect(events.filter((e) => e.type === 'adopted').map((e) => e.address)).toEqual(['datasetGroup.g0']);
    expect(cloud.calls.filter((c) => c === 'create datasetGroup.g0')).toHaveLength(1);
  });

  it('adopts what a crashed run left, without calling create, on re-observe', async () => {
    const cloud = new FakeCloud();
    const graph = wideGraph(1);
    const kinds = fakeRegistry(cloud);
    const ctx = fakeContext();
    const { plan } = await makePlan(graph, kinds, ctx, PLAN_OPTIONS);
    // Between plan and apply, a crashed earlier apply had got as far as creating the group.
    cloud.seed({ kind: 'datasetGroup', address: 'datasetGroup.g0', name: 'demo-g0', properties: { domain: 'ECOMMERCE' }, tags: { ...OWNER_TAGS }, status: 'CREATE IN_PROGRESS' });
    const events: ApplyEvent[] = [];
    const result = await applyPlan(plan, graph, kinds, ctx, { poll: POLL, onEvent: (e) => events.push(e) });
    expect(result.succeeded).toEqual(['dataset.g0', 'datasetGroup.g0']);
    expect(cloud.calls).not.toContain('create datasetGroup.g0');
    expect(events.some((e) => e.type === 'adopted' && e.address === 'datasetGroup.g0')).toBe(true);
  });

  it('emits start, status changes, done for each step, in order', async () => {
    const cloud = new FakeCloud({ settleAfterPolls: 2 });
    const { events } = await planAndApply(cloud, wideGraph(1));
    const group = events.filter((e) => e.address === 'datasetGroup.g0');
    expect(group.map((e) => (e.type === 'status' ? `status ${e.status}` : e.type))).toEqual(['start', 'status CREATE PENDING', 'status ACTIVE', 'done']);
    const status = group.find((e) => e.type === 'status');
    expect(status?.type === 'status' && status.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('updates in place and fixes ownership tags', async () => {
    const cloud = new FakeCloud();
    const graph = sampleGraph();
    await planAndApply(cloud, graph);
    const env = cloud.find('environment', 'demo-env');
    if (env === undefined) throw new Error('environment not created');
    env.properties['retention'] = 1;
    env.tags = {};
    const { plan, result } = await planAndApply(cloud, graph);
    expect(plan.changes.find((c) => c.address === 'environment')?.actions).toEqual(['update']);
    expect(result.succeeded).toContain('environment');
    expect(cloud.calls).toContain('update environment retention,tags');
    expect(cloud.find('environment', 'demo-env')).toMatchObject({ properties: { retention: 30 }, tags: OWNER_TAGS });
  });

  it('prunes undeclared tagged resources after their dependents, and reports a timeout', async () => {
    const cloud = new FakeCloud();
    await planAndApply(cloud, wideGraph(2));
    const { plan, result } = await planAndApply(cloud, wideGraph(1), { prune: true });
    expect(plan.changes.slice(0, 2).map((c) => [c.address, c.actions])).toEqual([
      ['dataset.g1', ['delete']],
      ['datasetGroup.g1', ['delete']],
    ]);
    expect(result.failed).toEqual([]);
    expect(cloud.find('datasetGroup', 'demo-g1')).toBeUndefined();
    expect(cloud.find('dataset', 'demo-g1-interactions')).toBeUndefined();

    const slow = new FakeCloud({ settleAfterPolls: 1_000_000 });
    const kinds = fakeRegistry(slow);
    const { plan: p2, live } = await makePlan(wideGraph(1), kinds, fakeContext(), PLAN_OPTIONS);
    const timedOut = await applyPlan(p2, wideGraph(1), kinds, fakeContext(), { live, poll: { initialMs: 1, maxMs: 1, timeoutMs: 20 } });
    expect(timedOut.failed).toEqual(['datasetGroup.g0']);
    expect(timedOut.errors[0]?.message).toMatch(/still CREATE PENDING after \d+ s; run apply again/);
  });

  it('refuses a plan with errors and runs nothing', async () => {
    const cloud = new FakeCloud();
    const graph = wideGraph(1);
    const kinds = fakeRegistry(cloud);
    const { plan } = await makePlan(graph, kinds, fakeContext(), PLAN_OPTIONS);
    const errored: Plan = { ...plan, diagnostics: [{ code: 'protected-resource', severity: 'error', message: 'x is protected' }] };
    const result = await applyPlan(errored, graph, kinds, fakeContext(), { poll: POLL });
    expect(result.errors.map((d) => d.code)).toEqual(['plan-has-errors', 'protected-resource']);
    expect(cloud.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });

  it('calls the journal/lock hooks around every mutating step', async () => {
    const cloud = new FakeCloud();
    const graph = wideGraph(1);
    const kinds = fakeRegistry(cloud);
    const { plan, live } = await makePlan(graph, kinds, fakeContext(), PLAN_OPTIONS);
    const seen: string[] = [];
    const result = await applyPlan(plan, graph, kinds, fakeContext(), {
      live,
      poll: POLL,
      hooks: {
        before: async (s) => void seen.push(`before ${s.id}`),
        after: async (s, outcome, id) => void seen.push(`after ${s.id} ${outcome} ${id === undefined ? '-' : 'id'}`),
      },
    });
    expect(result.failed).toEqual([]);
    expect(seen).toEqual(['before datasetGroup.g0#create', 'after datasetGroup.g0#create succeeded id', 'before dataset.g0#create', 'after dataset.g0#create succeeded id']);
  });
});
