import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/plan.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { LiveState } from '../../src/plan/live.ts';
import type { KindRegistry } from '../../src/plan/kind-registry.ts';
import { FakeCloud, fakeRegistry, OWNER_TAGS } from '../apply/fake-cloud.ts';
import { liveMatching, observedOf, sampleGraph, strayGroup } from './builders.ts';

// As in the real registry, the environment is scaffolding that carries no ownership tag of its own.
const fakes = fakeRegistry(new FakeCloud());
const kinds: KindRegistry = { ...fakes, ...(fakes.environment === undefined ? {} : { environment: { ...fakes.environment, supportsTags: false } }) };

function plan(graph: DesiredGraph, live: LiveState, options: { prune?: boolean; allowDeleteAll?: boolean } = {}) {
  return buildPlan({
    graph,
    live,
    kinds,
    manifestPath: 'poc.yaml',
    manifestDigest: 'd',
    pocName: 'demo',
    target: { region: 'us-east-1' },
    ownerTags: OWNER_TAGS,
    prune: options.prune ?? true,
    ...(options.allowDeleteAll === undefined ? {} : { allowDeleteAll: options.allowDeleteAll }),
    now: new Date(0),
    toolVersion: 'test',
  });
}

/** poc.yaml whose only dataset group was renamed from `baseline` to `renamed`: what is live is all undeclared. */
function renamedGroup(): { graph: DesiredGraph; live: LiveState } {
  const old = sampleGraph();
  const graph: DesiredGraph = {
    nodes: old.nodes.map((n) =>
      n.kind === 'datasetGroup' || n.kind === 'dataset' || n.kind === 'datasetImport'
        ? { ...n, address: n.address.replace('baseline', 'renamed'), name: n.name.replace('baseline', 'renamed'), dependsOn: n.dependsOn.map((d) => d.replace('baseline', 'renamed')) }
        : n,
    ),
  };
  const live = liveMatching(graph, Object.fromEntries(graph.nodes.filter((n) => n.address.includes('renamed')).map((n) => [n.address, 'absent' as const])));
  const stale = old.nodes.filter((n) => n.kind === 'datasetGroup' || n.kind === 'dataset').map((n) => observedOf(n));
  return { graph, live: { byAddress: live.byAddress, undeclared: stale } };
}

describe('the delete-everything guard', () => {
  it('refuses a prune that deletes every owned resource, naming them and the flag', () => {
    const { graph, live } = renamedGroup();
    const p = plan(graph, live);
    const refusal = p.diagnostics.find((d) => d.code === 'delete-all-refused');
    expect(refusal?.severity).toBe('error');
    expect(refusal?.message).toContain('2: dataset.baseline.interactions, datasetGroup.baseline');
    expect(refusal?.hint).toContain('--allow-delete-all');
    expect(refusal?.file).toBe('poc.yaml');
  });

  it('lets the same plan through with --allow-delete-all, deletes and all', () => {
    const { graph, live } = renamedGroup();
    const p = plan(graph, live, { allowDeleteAll: true });
    expect(p.diagnostics).toEqual([]);
    expect(p.summary.delete).toBe(2);
  });

  it('allows a prune that keeps an existing resource of the POC', () => {
    const graph = sampleGraph();
    const p = plan(graph, liveMatching(graph, {}, [strayGroup()]));
    expect(p.diagnostics).toEqual([]);
    expect(p.changes.filter((c) => c.actions[0] === 'delete').map((c) => c.address)).toEqual(['datasetGroup.demo-old']);
  });

  it('says nothing without prune: the same resources are only reported', () => {
    const { graph, live } = renamedGroup();
    const p = plan(graph, live, { prune: false });
    expect(p.diagnostics).toEqual([]);
    expect(p.undeclared.map((u) => u.address).sort()).toEqual(['dataset.baseline.interactions', 'datasetGroup.baseline']);
  });

  it('does not count a replacement as a deletion', () => {
    const graph = sampleGraph();
    const p = plan(graph, liveMatching(graph, { 'datasetGroup.baseline': { props: { domain: 'VIDEO_ON_DEMAND' } } }));
    expect(p.summary.replace).toBeGreaterThan(0);
    expect(p.diagnostics).toEqual([]);
  });
});
