import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/plan.ts';
import type { Plan, PlannedChange } from '../../src/plan/types.ts';
import { renderPlanJson } from '../../src/render/plan-json.ts';
import { PLAN_MARKER, renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { liveMatching, sampleGraph } from '../plan/builders.ts';
import { expectGolden } from '../plan/golden.ts';
import { createPlan, emptyPlan, mixedPlan, planInputBase } from '../plan/sample-plan.ts';

function protectedPlan(): Plan {
  const graph = sampleGraph({ 'datasetGroup.baseline': { protect: true } });
  return buildPlan({ ...planInputBase, graph, live: liveMatching(graph, { 'datasetGroup.baseline': { props: { domain: 'VIDEO_ON_DEMAND' } } }), prune: false });
}

describe('plan text', () => {
  it('lists a new resource\'s set fields and leaves unset (null) ones and empty change-set cells out', () => {
    const base = createPlan();
    const first = base.changes[0];
    if (first === undefined) throw new Error('the sample plan has no changes');
    const change: PlannedChange = {
      ...first,
      after: { domain: null, kmsKeyArn: null, datasetType: 'ITEMS' },
      details: [{ title: 'CloudFormation change set', rows: [{ Action: 'Add', LogicalResourceId: 'DataBucket', Replacement: '' }] }],
    };
    const plan: Plan = { ...base, changes: [change] };
    for (const text of [renderPlanText(plan), renderPlanMarkdown(plan)]) {
      expect(text).toContain('datasetType: "ITEMS"');
      expect(text).not.toContain('domain: null');
      expect(text).not.toContain('kmsKeyArn');
    }
    expect(renderPlanText(plan)).toContain('Action=Add LogicalResourceId=DataBucket\n');
  });

  it('starts with the summary, then destructive changes, and matches the golden file', () => {
    const text = renderPlanText(mixedPlan());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Plan: 1 to create, 1 to update, 2 to replace, 1 to delete.');
    expect(lines[2]).toBe('Destructive changes:');
    expect(text).toContain('-/+ datasetGroup.baseline will be replaced: domain forces replacement');
    expect(text).toContain('secret: (sensitive)');
    expect(text).not.toContain('s3cr3t');
    expect(text.indexOf('\n+ datasetImport')).toBeLessThan(text.indexOf('\n~ environment'));
    expect(text.indexOf('\n~ environment')).toBeLessThan(text.indexOf('\n-/+ datasetGroup.baseline'));
    expect(text.indexOf('\n-/+ dataset.baseline')).toBeLessThan(text.indexOf('\n- datasetGroup.demo-old'));
    expectGolden('mixed.plan.txt', text);
    expectGolden('create.plan.txt', renderPlanText(createPlan()));
  });

  it('says so when nothing changes', () => {
    expect(renderPlanText(emptyPlan())).toBe('No changes. The account matches poc.yaml.\n');
  });

  it('shows a protect error and that the plan cannot be applied', () => {
    const text = renderPlanText(protectedPlan());
    expect(text).toContain('poc.yaml:12:3: error [protected-resource] datasetGroup.baseline is protected');
    expect(text).toContain('This plan has errors and cannot be applied.');
    expect(text.split('\n')[0]).toBe('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete.');
  });

  it('colours only when asked', () => {
    expect(renderPlanText(mixedPlan())).not.toContain('\u001b[');
    const coloured = renderPlanText(mixedPlan(), { color: true });
    expect(coloured).toContain('\u001b[31m-\u001b[0m datasetGroup.demo-old');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderPlanText(mixedPlan()));
  });
});

describe('plan markdown', () => {
  it('puts the marker, summary and destructive changes first, details folded, and matches the golden file', () => {
    const md = renderPlanMarkdown(mixedPlan());
    expect(md.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    expect(md.indexOf('**Plan: 1 to create')).toBeLessThan(md.indexOf('[!WARNING]'));
    expect(md.indexOf('[!WARNING]')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('**Billed actions:** data-import (1)');
    expectGolden('mixed.plan.md', md);
    expectGolden('protected.plan.md', renderPlanMarkdown(protectedPlan()));
  });

  it('cuts a very large plan to the limit, says so, and still closes <details>', () => {
    const base = createPlan();
    const template = base.changes[4] as PlannedChange;
    const changes = Array.from({ length: 3000 }, (_, i): PlannedChange => ({ ...template, address: `datasetImport.g${i}.interactions`, name: `demo-g${i}-interactions-abc123`, dependsOn: [] }));
    const big: Plan = { ...base, changes, summary: { ...base.summary, create: changes.length } };
    const full = renderPlanMarkdown(big, { limit: 10_000_000 });
    expect(full.length).toBeGreaterThan(65_535);
    const md = renderPlanMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(65_535);
    expect(md).toMatch(/_Output cut to fit 65,535 characters: \d+ more lines are in the plan JSON\._\n<\/details>\n$/);
    expect(md.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    expect(md).toContain('**Plan: 3000 to create');
  });

  it('is not cut when it fits', () => {
    expect(renderPlanMarkdown(mixedPlan())).not.toContain('Output cut');
  });
});

describe('plan json', () => {
  it('is the saved plan bytes', () => {
    expectGolden('mixed.plan.json', renderPlanJson(mixedPlan()));
  });
});
