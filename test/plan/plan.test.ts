import { describe, expect, it } from 'vitest';
import { buildPlan, hasChanges, serializePlan } from '../../src/plan/plan.ts';
import { planProblems, readPlan } from '../../src/plan/read-plan.ts';
import { liveMatching, sampleGraph } from './builders.ts';
import { expectGolden } from './golden.ts';
import { createPlan, emptyPlan, mixedPlan, planInputBase } from './sample-plan.ts';

describe('plan', () => {
  it('is the same bytes for the same input, whatever the key order of the input', () => {
    const graph = sampleGraph();
    const shuffled = { nodes: graph.nodes.map((n) => ({ ...n, properties: Object.fromEntries(Object.entries(n.properties).reverse()) })) };
    const a = serializePlan(buildPlan({ ...planInputBase, graph, live: liveMatching(graph), prune: false }));
    const b = serializePlan(buildPlan({ ...planInputBase, graph: shuffled, live: liveMatching(shuffled), prune: false }));
    expect(a).toBe(b);
  });

  it('changes only createdAt with the clock', () => {
    const graph = sampleGraph();
    const at = (iso: string) => buildPlan({ ...planInputBase, graph, live: liveMatching(graph), prune: false, now: new Date(iso) });
    const one = at('2025-01-01T00:00:00.000Z');
    const two = at('2026-06-01T12:00:00.000Z');
    expect({ ...one, createdAt: '' }).toEqual({ ...two, createdAt: '' });
    expect(two.createdAt).toBe('2026-06-01T12:00:00.000Z');
  });

  it('counts actions, undeclared resources and costs in the summary', () => {
    expect(mixedPlan().summary).toEqual({ create: 1, update: 1, replace: 2, delete: 1, noop: 1, undeclared: 1, cost: { 'data-import': 1 } });
    expect(createPlan().summary).toMatchObject({ create: 5, noop: 0 });
    expect(hasChanges(emptyPlan())).toBe(false);
    expect(hasChanges(mixedPlan())).toBe(true);
  });

  it('puts prune deletes first and then follows the dependencies', () => {
    expect(mixedPlan().changes.map((c) => c.address)).toEqual([
      'datasetGroup.demo-old',
      'environment',
      'schema.interactions',
      'datasetGroup.baseline',
      'dataset.baseline.interactions',
      'datasetImport.baseline.interactions',
    ]);
  });

  it('fingerprints every declared and undeclared address, absent ones as "absent"', () => {
    const plan = createPlan();
    expect(Object.values(plan.observed)).toEqual(['absent', 'absent', 'absent', 'absent', 'absent']);
    expect(Object.keys(mixedPlan().observed).sort()).toEqual([
      'dataset.baseline.interactions',
      'datasetGroup.baseline',
      'datasetGroup.demo-old',
      'datasetImport.baseline.interactions',
      'datasetImport.old',
      'environment',
      'schema.interactions',
    ]);
  });

  it('validates against schemas/plan.schema.json, and the schema rejects a broken plan', () => {
    for (const plan of [mixedPlan(), createPlan(), emptyPlan()]) expect(planProblems(JSON.parse(serializePlan(plan)))).toEqual([]);
    const broken = JSON.parse(serializePlan(mixedPlan()));
    broken.changes[0].actions = ['create', 'delete'];
    broken.changes[1].reasons = [];
    delete broken.summary;
    const problems = planProblems(broken);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['changes.0.actions', 'changes.1.reasons']));
    expect(problems.some((p) => p.message.includes("must have required property 'summary'"))).toBe(true);
  });

  it('reads back a saved plan', () => {
    const text = serializePlan(mixedPlan());
    const read = readPlan(text, 'plans/x.json');
    expect('plan' in read && serializePlan(read.plan)).toBe(text);
    const bad = readPlan('{', 'plans/x.json');
    expect('diagnostics' in bad && bad.diagnostics[0]?.code).toBe('plan-not-json');
  });

  it('matches the golden JSON', () => {
    expectGolden('mixed.plan.json', serializePlan(mixedPlan()));
    expectGolden('create.plan.json', serializePlan(createPlan()));
  });
});
