import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/plan/plan.ts';
import type { Plan, PlannedChange } from '../../src/plan/types.ts';
import { MARKDOWN_LIMIT } from '../../src/render/plan-markdown-cap.ts';
import { PLAN_MARKER, renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { createPlan } from '../plan/sample-plan.ts';

/** A plan far larger than one comment: thousands of creates with long values, then deletes and replaces last. */
function hugePlan(): Plan {
  const base = createPlan();
  const creates: PlannedChange[] = Array.from({ length: 4000 }, (_, i) => ({
    address: `datasetGroup.g${i}`,
    kind: 'datasetGroup',
    name: `demo-g${i}`,
    actions: ['create'],
    reasons: ['absent'],
    fieldDiffs: [],
    after: { domain: null, description: 'x'.repeat(200), index: i },
    dependsOn: [],
    cost: i % 500 === 0 ? ['training'] : [],
  }));
  const destructive: PlannedChange[] = [
    { address: 'datasetGroup.old', kind: 'datasetGroup', name: 'demo-old', id: 'arn:old', actions: ['delete'], reasons: ['not-declared'], fieldDiffs: [], dependsOn: [], cost: [] },
    { address: 'dataset.swapped', kind: 'dataset', name: 'demo-swapped', id: 'arn:swapped', actions: ['delete', 'create'], reasons: ['field-changed'], fieldDiffs: [{ field: 'schema', before: 'a', after: 'b', forcesReplacement: true }], dependsOn: [], cost: [] },
  ];
  const changes = [...creates, ...destructive];
  return { ...base, changes, summary: summarize(changes, []) };
}

describe('plan markdown for a pull-request comment', () => {
  const plan = hugePlan();
  const md = renderPlanMarkdown(plan);
  const lines = md.split('\n');

  it('fits one GitHub comment', () => {
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.length).toBeGreaterThan(MARKDOWN_LIMIT * 0.9);
  });

  it('leads with the marker, the summary, then the destructive changes naming the forcing field', () => {
    expect(lines[0]).toBe(PLAN_MARKER);
    const summary = lines.findIndex((l) => l.includes('Plan: 4000 to create, 0 to update, 1 to replace, 1 to delete.'));
    const warning = lines.findIndex((l) => l.includes('[!WARNING]'));
    const details = lines.findIndex((l) => l.startsWith('<details>'));
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(warning);
    expect(warning).toBeLessThan(details);
    expect(md).toMatch(/> - `-` `datasetGroup\.old` deleted/);
    expect(md).toMatch(/> - `-\/\+` `dataset\.swapped` replaced: schema forces replacement/);
  });

  it('lists the billed actions before the details', () => {
    const billed = lines.findIndex((l) => l.startsWith('**Billed actions:** training (8)'));
    expect(billed).toBeGreaterThan(0);
    expect(billed).toBeLessThan(lines.findIndex((l) => l.startsWith('<details>')));
    expect(md).toContain('- `datasetGroup.g3500`: training');
  });

  it('cuts the long section with a note, and closes what it opened so the page renders', () => {
    expect(md).toMatch(/_Output cut to fit 65,535 characters: \d+ more lines are in the plan JSON\._/);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect(md).not.toContain('datasetGroup.g3999**');
  });

  it('a small plan is not cut', () => {
    const small = renderPlanMarkdown(createPlan());
    expect(small).not.toContain('Output cut');
    expect(small.startsWith(PLAN_MARKER)).toBe(true);
  });

  it('honours a smaller limit (a job summary shares its 1 MiB with other steps)', () => {
    expect(renderPlanMarkdown(plan, { limit: 5_000 }).length).toBeLessThanOrEqual(5_000);
  });
});
