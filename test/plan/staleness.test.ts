import { describe, expect, it } from 'vitest';
import { ABSENT, fingerprintObserved, fingerprintState } from '../../src/plan/fingerprint.ts';
import type { LiveState } from '../../src/plan/live.ts';
import { buildPlan } from '../../src/plan/plan.ts';
import { checkStaleness } from '../../src/plan/staleness.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import { allAbsent, liveMatching, observedOf, sampleGraph } from './builders.ts';
import { kinds, planInputBase } from './sample-plan.ts';

const groupKind = kinds.datasetGroup;
if (groupKind === undefined) throw new Error('fake registry lacks datasetGroup');

function fresh(graph: DesiredGraph, live: LiveState, manifestDigest: string = planInputBase.manifestDigest) {
  return { manifestDigest, ...fingerprintState(graph, live, kinds) };
}

describe('fingerprints', () => {
  const node = sampleGraph().nodes[2];
  if (node === undefined) throw new Error('sample graph changed');

  it('do not move when only the status moves', () => {
    const inProgress = observedOf(node, { status: 'CREATE IN_PROGRESS', readiness: 'pending' });
    const active = observedOf(node, { status: 'ACTIVE', readiness: 'ready' });
    expect(fingerprintObserved(groupKind, inProgress)).toBe(fingerprintObserved(groupKind, active));
  });

  it('move with a declared field, a tag or a failure, not with undeclared properties', () => {
    const base = fingerprintObserved(groupKind, observedOf(node));
    expect(fingerprintObserved(groupKind, observedOf(node, { props: { domain: 'VIDEO_ON_DEMAND' } }))).not.toBe(base);
    expect(fingerprintObserved(groupKind, observedOf(node, { tags: {} }))).not.toBe(base);
    expect(fingerprintObserved(groupKind, observedOf(node, { status: 'CREATE FAILED', readiness: 'failed' }))).not.toBe(base);
    expect(fingerprintObserved(groupKind, observedOf(node, { props: { creationDateTime: 12345 } }))).toBe(base);
    expect(fingerprintObserved(groupKind, undefined)).toBe(ABSENT);
  });
});

describe('staleness', () => {
  const graph = sampleGraph();
  const plannedOnEmpty = buildPlan({ ...planInputBase, graph, live: allAbsent(graph), prune: false });

  it('finds nothing when nothing changed, even as resources finish creating', () => {
    const plan = buildPlan({ ...planInputBase, graph, live: liveMatching(graph, { 'datasetGroup.baseline': { status: 'CREATE IN_PROGRESS', readiness: 'pending' } }), prune: false });
    expect(checkStaleness(plan, fresh(graph, liveMatching(graph)))).toEqual([]);
  });

  it('names each resource that appeared since the plan', () => {
    const live = allAbsent(graph);
    const now = new Map(live.byAddress);
    now.set('datasetGroup.baseline', observedOf(graph.nodes[2] as never));
    const diffs = checkStaleness(plannedOnEmpty, fresh(graph, { byAddress: now, undeclared: [] }));
    expect(diffs).toEqual([{ code: 'appeared', address: 'datasetGroup.baseline', message: 'datasetGroup.baseline: was absent, now exists.' }]);
  });

  it('names a change made outside poc.yaml and a resource that disappeared', () => {
    const plan = buildPlan({ ...planInputBase, graph, live: liveMatching(graph), prune: false });
    const now = liveMatching(graph, { environment: { props: { retention: 1 } }, 'schema.interactions': 'absent' });
    expect(checkStaleness(plan, fresh(graph, now)).map((d) => d.message)).toEqual([
      'environment: changed outside poc.yaml since the plan was made.',
      'schema.interactions: existed, now absent.',
    ]);
  });

  it('names a data edit: the manifest digest and the resource whose data changed', () => {
    const plan = buildPlan({ ...planInputBase, graph, live: liveMatching(graph), prune: false });
    const edited = sampleGraph({ 'datasetImport.baseline.interactions': { name: 'demo-baseline-interactions-fff000', properties: { dataHash: 'fff000', importMode: 'FULL' } } });
    const diffs = checkStaleness(plan, fresh(edited, liveMatching(graph), 'sha256:2222'));
    expect(diffs.map((d) => [d.code, d.address])).toEqual([
      ['manifest-changed', undefined],
      ['desired-changed', 'datasetImport.baseline.interactions'],
    ]);
    expect(diffs[0]?.message).toBe('poc.yaml, its schemas or its data changed since the plan was made.');
  });

  it('names resources the plan does not know', () => {
    const stray = { ...observedOf(graph.nodes[2] as never), address: 'datasetGroup.new', name: 'demo-new' };
    const diffs = checkStaleness(plannedOnEmpty, fresh(graph, { byAddress: allAbsent(graph).byAddress, undeclared: [stray] }));
    expect(diffs).toEqual([{ code: 'not-in-plan', address: 'datasetGroup.new', message: 'datasetGroup.new: exists now but is not in the plan.' }]);
  });

  it('refuses another format version', () => {
    const diffs = checkStaleness({ ...plannedOnEmpty, formatVersion: 2 as never }, fresh(graph, allAbsent(graph)));
    expect(diffs.map((d) => d.code)).toEqual(['format-version']);
  });
});
