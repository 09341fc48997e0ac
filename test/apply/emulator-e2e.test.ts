import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import { makePlan } from '../../src/apply/make-plan.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import { hasChanges } from '../../src/plan/plan.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { interactionsCsv, startHarness, type Harness } from '../resources/harness.ts';
import { datasetSpec, groupSpec, INTERACTIONS_FIELDS, manifestOf, schemaSpec, sha } from '../resources/manifest-fixture.ts';

const ROLE = 'arn:aws:iam::000000000000:role/poc-personalize';
// An existing-mode environment makes no stack, and the emulator's CloudFormation does not list
// stacks yet; everything else is the real registry.
const kinds = { ...KINDS, environment: { ...KINDS.environment, listOwned: async () => [] } };
const POLL = { initialMs: 5, maxMs: 20, timeoutMs: 20_000 };
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function graphFor(poc: string, csv: string): DesiredGraph {
  const path = join(h.dir, `${poc}-${sha(csv).slice(0, 8)}.csv`);
  writeFileSync(path, csv);
  const manifest = manifestOf({
    name: poc,
    environment: { mode: 'existing', bucket: `${poc}-data`, roleArn: ROLE },
    schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS)],
    groups: [groupSpec('main', { interactions: { ...datasetSpec('interactions', 'interactions', 'data/interactions.csv'), data: path } })],
  });
  return compileDesiredGraph(manifest, { dataHashes: new Map([[path, sha(csv)]]) });
}

describe('plan and apply against the emulator with the real kinds', () => {
  it('creates the POC, converges to no changes, and imports again only for new data', async () => {
    const poc = 'e2e';
    await h.clients.s3.send(new CreateBucketCommand({ Bucket: `${poc}-data` }));
    const options = { manifestPath: 'poc.yaml', manifestDigest: 'sha256:a', pocName: poc, target: { region: 'us-east-1' }, prune: false, now: new Date(0) };
    const ctx = () => {
      const { resolve: _unused, ...base } = h.context(poc);
      return base;
    };

    const graph = graphFor(poc, interactionsCsv(1200));
    // Plan and apply share one context, as in one CLI run.
    const run = ctx();
    const first = await makePlan(graph, kinds, run, options);
    expect(first.plan.summary.create).toBe(graph.nodes.filter((n) => first.plan.changes.find((c) => c.address === n.address)?.actions[0] === 'create').length);
    const applied = await applyPlan(first.plan, graph, kinds, run, { live: first.live, poll: POLL });
    expect(applied.errors).toEqual([]);
    expect(applied.failed).toEqual([]);

    const second = await makePlan(graph, kinds, ctx(), options);
    expect(renderPlanText(second.plan)).toBe('No changes. The account matches poc.yaml.\n');

    const edited = graphFor(poc, interactionsCsv(1300));
    const third = await makePlan(edited, kinds, ctx(), options);
    const acting = third.plan.changes.filter((c) => c.actions[0] !== 'no-op');
    expect(acting.map((c) => [c.kind, c.actions[0]]).sort()).toEqual([['dataUpload', 'create'], ['datasetImport', 'create']]);
    // The new upload is absent, but the upload is not the import's parent: the dataset's old
    // import is still found, so the plan says why a new one is needed.
    expect(acting.find((c) => c.kind === 'datasetImport')?.reasons).toEqual(['data-changed']);
    const again = await applyPlan(third.plan, edited, kinds, ctx(), { live: third.live, poll: POLL });
    expect(again.failed).toEqual([]);
    expect(hasChanges((await makePlan(edited, kinds, ctx(), options)).plan)).toBe(false);
  });
});
