import { describe, expect, it } from 'vitest';
import { diff } from '../../src/plan/diff.ts';
import type { DiffInput } from '../../src/plan/diff.ts';
import type { PlannedChange } from '../../src/plan/types.ts';
import { FakeCloud, fakeRegistry, OWNER_TAGS } from '../apply/fake-cloud.ts';
import { allAbsent, liveMatching, sampleGraph, strayGroup } from './builders.ts';

const kinds = fakeRegistry(new FakeCloud());

function run(input: Partial<DiffInput> & Pick<DiffInput, 'graph' | 'live'>) {
  return diff({ kinds, ownerTags: OWNER_TAGS, prune: false, ...input });
}

function byAddress(changes: readonly PlannedChange[], address: string): PlannedChange {
  const c = changes.find((x) => x.address === address);
  if (c === undefined) throw new Error(`no change for ${address}`);
  return c;
}

describe('diff', () => {
  it('creates everything that is absent, dependencies first', () => {
    const graph = sampleGraph();
    const { changes, diagnostics } = run({ graph, live: allAbsent(graph) });
    expect(diagnostics).toEqual([]);
    expect(changes.map((c) => [c.address, c.actions, c.reasons])).toEqual([
      ['environment', ['create'], ['absent']],
      ['schema.interactions', ['create'], ['absent']],
      ['datasetGroup.baseline', ['create'], ['absent']],
      ['dataset.baseline.interactions', ['create'], ['absent']],
      ['datasetImport.baseline.interactions', ['create'], ['absent']],
    ]);
    expect(byAddress(changes, 'datasetImport.baseline.interactions').cost).toEqual(['data-import']);
  });

  it('plans nothing when the account matches', () => {
    const graph = sampleGraph();
    const { changes } = run({ graph, live: liveMatching(graph) });
    expect(changes.every((c) => c.actions[0] === 'no-op' && c.reasons.length === 0)).toBe(true);
    expect(changes.every((c) => c.cost.length === 0)).toBe(true);
  });

  it('replaces on a replace field, names it, and cascades to existing dependents', () => {
    const graph = sampleGraph();
    const live = liveMatching(graph, { 'datasetGroup.baseline': { props: { domain: 'VIDEO_ON_DEMAND' } } });
    const { changes } = run({ graph, live });
    const group = byAddress(changes, 'datasetGroup.baseline');
    expect(group.actions).toEqual(['delete', 'create']);
    expect(group.reasons).toEqual(['field-changed']);
    expect(group.fieldDiffs).toEqual([{ field: 'domain', before: 'VIDEO_ON_DEMAND', after: 'ECOMMERCE', forcesReplacement: true }]);
    const dataset = byAddress(changes, 'dataset.baseline.interactions');
    expect(dataset.actions).toEqual(['delete', 'create']);
    expect(dataset.reasons).toEqual(['dependency-replaced']);
    // The import kind has no delete: its replacement is a fresh create.
    const imp = byAddress(changes, 'datasetImport.baseline.interactions');
    expect(imp.actions).toEqual(['create']);
    expect(imp.reasons).toEqual(['dependency-replaced']);
    expect(byAddress(changes, 'schema.interactions').actions).toEqual(['no-op']);
    expect(byAddress(changes, 'environment').actions).toEqual(['no-op']);
  });

  it('makes a new import for new data and leaves its dependencies alone', () => {
    const graph = sampleGraph();
    const live = liveMatching(graph, { 'datasetImport.baseline.interactions': { name: 'demo-baseline-interactions-000000', props: { dataHash: '000000' } } });
    const { changes } = run({ graph, live });
    const imp = byAddress(changes, 'datasetImport.baseline.interactions');
    expect(imp.actions).toEqual(['create']);
    expect(imp.reasons).toEqual(['data-changed']);
    expect(imp.fieldDiffs).toEqual([{ field: 'dataHash', before: '000000', after: 'abc123', forcesReplacement: true }]);
    expect(imp.cost).toEqual(['data-import']);
    expect(changes.filter((c) => c.actions[0] !== 'no-op')).toHaveLength(1);
  });

  it('updates in place a field that allows it', () => {
    const graph = sampleGraph();
    const { changes } = run({ graph, live: liveMatching(graph, { environment: { props: { retention: 7 } } }) });
    const env = byAddress(changes, 'environment');
    expect(env.actions).toEqual(['update']);
    expect(env.reasons).toEqual(['field-changed']);
    expect(env.fieldDiffs).toEqual([{ field: 'retention', before: 7, after: 30, forcesReplacement: false }]);
  });

  it('lets the live values decide a value-dependent field', () => {
    const graph = sampleGraph();
    const compatible = liveMatching(graph, { 'dataset.baseline.interactions': { props: { schema: 'demo-interactions-v0', schemaCompatible: true } } });
    const incompatible = liveMatching(graph, { 'dataset.baseline.interactions': { props: { schema: 'demo-interactions-v0', schemaCompatible: false } } });
    expect(byAddress(run({ graph, live: compatible }).changes, 'dataset.baseline.interactions').actions).toEqual(['update']);
    const replaced = byAddress(run({ graph, live: incompatible }).changes, 'dataset.baseline.interactions');
    expect(replaced.actions).toEqual(['delete', 'create']);
    expect(replaced.fieldDiffs[0]?.forcesReplacement).toBe(true);
  });

  it('updates missing ownership tags only on kinds that support tags', () => {
    const graph = sampleGraph();
    const live = liveMatching(graph, { 'datasetGroup.baseline': { tags: { 'poc:name': 'other' } }, 'schema.interactions': { tags: {} } });
    const { changes } = run({ graph, live });
    const group = byAddress(changes, 'datasetGroup.baseline');
    expect(group.actions).toEqual(['update']);
    expect(group.reasons).toEqual(['tags-changed']);
    expect(group.fieldDiffs).toEqual([{ field: 'tags', before: { 'poc:name': 'other' }, after: OWNER_TAGS, forcesReplacement: false }]);
    expect(byAddress(changes, 'schema.interactions').actions).toEqual(['no-op']);
  });

  it('replaces a failed resource, or creates anew where the kind cannot delete', () => {
    const graph = sampleGraph();
    const failed = { status: 'CREATE FAILED', readiness: 'failed' as const, failureReason: 'bad data' };
    const { changes } = run({ graph, live: liveMatching(graph, { 'dataset.baseline.interactions': failed, 'datasetImport.baseline.interactions': failed }) });
    expect(byAddress(changes, 'dataset.baseline.interactions')).toMatchObject({ actions: ['delete', 'create'], reasons: ['failed-state'] });
    expect(byAddress(changes, 'datasetImport.baseline.interactions')).toMatchObject({ actions: ['create'], reasons: ['failed-state', 'dependency-replaced'] });
  });

  it('keeps the worst impact when fields disagree', () => {
    const graph = sampleGraph();
    const live = liveMatching(graph, { environment: { props: { retention: 7, bucket: 'old-bucket' }, tags: {} } });
    const env = byAddress(run({ graph, live }).changes, 'environment');
    expect(env.actions).toEqual(['delete', 'create']);
    expect(env.reasons).toEqual(['field-changed', 'tags-changed']);
    expect(env.fieldDiffs.filter((f) => f.forcesReplacement).map((f) => f.field)).toEqual(['bucket']);
  });

  it('refuses to replace a protected resource and does not cascade from it', () => {
    const graph = sampleGraph({ 'datasetGroup.baseline': { protect: true } });
    const live = liveMatching(graph, { 'datasetGroup.baseline': { props: { domain: 'VIDEO_ON_DEMAND' } } });
    const { changes, diagnostics } = run({ graph, live });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'protected-resource', severity: 'error', file: 'poc.yaml', line: 12, path: 'datasetGroups.baseline' });
    expect(diagnostics[0]?.message).toContain('changing domain');
    expect(byAddress(changes, 'datasetGroup.baseline')).toMatchObject({ actions: ['no-op'], reasons: [], protect: true });
    expect(byAddress(changes, 'dataset.baseline.interactions').actions).toEqual(['no-op']);
  });

  it('still updates a protected resource in place', () => {
    const graph = sampleGraph({ environment: { protect: true } });
    const { changes, diagnostics } = run({ graph, live: liveMatching(graph, { environment: { props: { retention: 1 } } }) });
    expect(diagnostics).toEqual([]);
    expect(byAddress(changes, 'environment').actions).toEqual(['update']);
  });

  it('reports undeclared tagged resources without pruning, deletes them with it, first', () => {
    const graph = sampleGraph();
    const strayImport = { ...strayGroup('demo-old-import'), kind: 'datasetImport' as const, address: 'datasetImport.old' };
    const live = liveMatching(graph, {}, [strayGroup(), strayImport]);
    const off = run({ graph, live });
    expect(off.changes.some((c) => c.reasons.includes('not-declared'))).toBe(false);
    expect(off.undeclared.map((u) => u.address)).toEqual(['datasetImport.old', 'datasetGroup.demo-old']);
    const on = run({ graph, live, prune: true });
    expect(on.changes[0]).toMatchObject({ address: 'datasetGroup.demo-old', actions: ['delete'], reasons: ['not-declared'], id: 'arn:fake:datasetGroup/demo-old' });
    // An import cannot be deleted: pruning can only report it.
    expect(on.undeclared.map((u) => u.address)).toEqual(['datasetImport.old']);
  });

  it('hides sensitive values from the desired properties and marks their diffs', () => {
    const graph = sampleGraph();
    const { changes } = run({ graph, live: liveMatching(graph, { environment: { props: { secret: 'old' } } }) });
    const env = byAddress(changes, 'environment');
    expect(env.after).toEqual({ bucket: 'demo-bucket', retention: 30 });
    expect(env.fieldDiffs[0]).toMatchObject({ field: 'secret', sensitive: true });
    expect(JSON.stringify(changes)).not.toContain('s3cr3t');
    expect(JSON.stringify(changes)).not.toContain('"old"');
  });

  it('treats a resource being deleted as absent', () => {
    const graph = sampleGraph();
    const { changes } = run({ graph, live: liveMatching(graph, { 'schema.interactions': { status: 'DELETE PENDING', readiness: 'deleting' } }) });
    expect(byAddress(changes, 'schema.interactions')).toMatchObject({ actions: ['create'], reasons: ['absent'] });
  });

  it('reports a dependency cycle instead of planning', () => {
    const graph = sampleGraph({ 'datasetGroup.baseline': { dependsOn: ['datasetImport.baseline.interactions'] } });
    const { changes, diagnostics } = run({ graph, live: allAbsent(graph) });
    expect(changes).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['graph-cycle']);
    expect(diagnostics[0]?.message).toContain('datasetGroup.baseline -> datasetImport.baseline.interactions -> dataset.baseline.interactions -> datasetGroup.baseline');
  });
});
