import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.ts';
import type { Report } from '../../src/report/types.ts';
import { copyExample, runCli, useEmulatedPoc } from './harness.ts';

/** Solutions, training and the report of the example POC, driven through the CLI as a user would. */
describe('solutions, retraining and poc report', () => {
  const poc = useEmulatedPoc(copyExample);
  const { cli } = poc;
  const acting = (plan: Plan): string[] => plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('/')}`).sort();
  /** Runs `body` with poc.yaml edited by `edit`, then restores it. */
  const withManifest = async (edit: (text: string) => string, body: () => Promise<void>): Promise<void> => {
    const file = join(poc.dir, 'poc.yaml');
    const original = readFileSync(file, 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    try {
      await body();
    } finally {
      writeFileSync(file, original);
    }
  };

  it('reports solutions that do not exist yet without failing, and fails --check', async () => {
    const run = await cli('report', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('baseline.popularity (aws-popularity-count): the solution does not exist yet; run poc apply');
    expect(run.stderr).toContain('Gate failed: metadata.personalized beats baseline.popularity on precision_at_10: metadata.personalized has no metrics');
  });

  it('trains every solution once, says automatic training is off, and a second apply trains nothing', async () => {
    const plan = await cli('plan');
    expect(plan.stdout).toMatch(/Billed actions: .*training \(4\)/);
    expect(plan.stdout).not.toContain('automatic-training');
    expect(plan.stdout.match(/Automatic training is OFF/g)).toHaveLength(4);
    expect(plan.stdout).toMatch(/\+ datasetGroup\.metadata\.solution\.personalized\.version \(solutionVersion retail-poc-metadata-personalized\) \[bills: training\]/);

    const first = await cli('apply', '--yes');
    expect(first.stderr).not.toMatch(/\berror\b/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/datasetGroup\.baseline\.solution\.sims\.version\s+retail-poc-baseline-sims\s+ACTIVE/);

    const second = await cli('apply', '--yes');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes. The account matches poc.yaml.');
  });

  it('reports the metrics of every solution, the baseline deltas, the metadata twin and a passing gate', async () => {
    const run = await cli('report', '--format', 'json', '--check');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.formatVersion).toBe(1);
    expect(report.solutions.map((s) => `${s.ref} ${s.status}`)).toEqual([
      'baseline.popularity measured',
      'baseline.personalized measured',
      'baseline.sims measured',
      'metadata.personalized measured',
    ]);
    const value = (ref: string, metric: string): number => report.solutions.find((s) => s.ref === ref)?.metrics?.[metric] ?? NaN;
    expect(value('metadata.personalized', 'precision_at_10')).toBeGreaterThan(value('baseline.popularity', 'precision_at_10'));
    expect(report.deltas.filter((d) => d.metric === 'precision_at_10').map((d) => d.solution)).toEqual(['baseline.personalized', 'baseline.sims', 'metadata.personalized']);
    expect(report.twins.map((t) => `${t.withMetadata} vs ${t.withoutMetadata}`)).toEqual(['metadata.personalized vs baseline.personalized']);
    expect(report.gates).toMatchObject([{ outcome: 'pass', solution: 'metadata.personalized', other: 'baseline.popularity' }]);
    // Intervals need the local emulator's evaluation; an endpoint gets none.
    expect(report.intervals).toBeUndefined();

    const again = await cli('report', '--format', 'json');
    expect(again.stdout).toBe(run.stdout);

    const csv = await cli('report', '--format', 'csv');
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('solution,group,key,recipe,metadata,version_arn,metric,value,ci_lower,ci_upper,best,baseline_delta,baseline_delta_percent,baseline_delta_ci_lower,baseline_delta_ci_upper');
    expect(rows).toHaveLength(1 + 4 * 8);

    const markdown = await cli('report', '--format', 'markdown');
    expect(markdown.stdout.startsWith('<!-- personalize-poc:report -->\n')).toBe(true);
    expect(markdown.stdout).toContain('**Gates: all 1 passed.**');

    const html = await cli('report', '--format', 'html', '--out', 'out/report.html');
    expect(html.stdout).toBe('');
    expect(readFileSync(join(poc.dir, 'out', 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('--check exits 1 naming the failed gate and by how much', async () => {
    await withManifest(
      (t) => t.replace('      beats: baseline.popularity\n', '      beats: baseline.popularity\n      by: 10000\n'),
      async () => {
        const run = await cli('report', '--check');
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/Gate failed: metadata\.personalized beats baseline\.popularity on precision_at_10 by 10000%: precision_at_10 is 0\.\d{4} against 0\.\d{4} for baseline\.popularity \(\+[\d.]+%, needed \+10000\.0%\); short of [\d.]+ by [\d.]+\./);
        expect(run.stdout).toMatch(/Gates: 0 passed, 1 failed/);
        expect((await cli('report')).code).toBe(0);
      },
    );
  });

  it('retrains exactly the solutions of the groups that use an edited data file', async () => {
    const items = join(poc.dir, 'data', 'items.csv');
    const original = readFileSync(items);
    appendFileSync(items, 'P9999,Apparel,Outerwear,Urbanline,beige,vintage,18.99,1670564341\n');
    try {
      const plan = await poc.plan();
      // The campaign on the retrained solution moves to the new version once it is trained.
      expect(acting(plan)).toEqual([
        'datasetGroup.metadata.campaign.personalized update',
        'datasetGroup.metadata.dataset.items.import create',
        'datasetGroup.metadata.solution.personalized.version create',
        'upload.data/items.csv create',
      ]);
      const version = plan.changes.find((c) => c.address === 'datasetGroup.metadata.solution.personalized.version');
      expect(version?.reasons).toEqual(['data-changed']);
      expect(version?.cost).toEqual(['training']);
    } finally {
      writeFileSync(items, original);
    }
  });

  it('replaces a solution whose recipe changes, and plans a new version in the cascade', async () => {
    await withManifest(
      (t) => t.replace('sims: { recipe: aws-sims }', 'sims: { recipe: aws-similar-items }'),
      async () => {
        const plan = await poc.plan();
        expect(acting(plan)).toEqual(['datasetGroup.baseline.solution.sims delete/create', 'datasetGroup.baseline.solution.sims.version create']);
        const solution = plan.changes.find((c) => c.address === 'datasetGroup.baseline.solution.sims');
        expect(solution?.fieldDiffs).toEqual([{ field: 'recipe', before: 'arn:aws:personalize:::recipe/aws-sims', after: 'arn:aws:personalize:::recipe/aws-similar-items', forcesReplacement: true }]);
        expect(plan.changes.find((c) => c.address === 'datasetGroup.baseline.solution.sims.version')?.reasons).toContain('dependency-replaced');
        const text = await cli('plan');
        expect(text.stdout).toMatch(/-\/\+ datasetGroup\.baseline\.solution\.sims will be replaced: recipe forces replacement/);
      },
    );
  });

  it('turns automatic training on in place, billed and said so, without retraining', async () => {
    await withManifest(
      (t) => t.replace('popularity: { recipe: aws-popularity-count }', 'popularity: { recipe: aws-popularity-count, autoTraining: { schedule: rate(14 days) } }'),
      async () => {
        const plan = await poc.plan();
        expect(acting(plan)).toEqual(['datasetGroup.baseline.solution.popularity update']);
        const change = plan.changes.find((c) => c.address === 'datasetGroup.baseline.solution.popularity');
        expect(change?.fieldDiffs.map((f) => `${f.field}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}`)).toEqual([
          'autoTrainingSchedule: null -> "rate(14 days)"',
          'performAutoTraining: false -> true',
        ]);
        expect(change?.cost).toEqual(['automatic-training']);
        expect((await cli('plan')).stdout).toContain('Automatic training is ON (rate(14 days))');
      },
    );
  });
});

describe('poc report --local', () => {
  it('runs after apply --local (npm start) with bootstrap intervals over the held-out users, paired for differences', async () => {
    const dir = copyExample();
    expect((await runCli(['apply', '--local', '--yes'], { cwd: dir })).code).toBe(0);
    const run = await runCli(['report', '--local', '--format', 'json', '--check'], { cwd: dir });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.intervals).toEqual({ method: 'bootstrap', resamples: 1000, level: 0.95, over: 'held-out users' });
    for (const s of report.solutions) {
      for (const [metric, value] of Object.entries(s.metrics ?? {})) {
        const ci = s.intervals?.[metric];
        if (metric === 'coverage') expect(ci).toBeUndefined();
        else expect(ci !== undefined && ci.lower <= value && value <= ci.upper && ci.lower < ci.upper).toBe(true);
      }
    }
    // Every solution trains on the same interactions file, so all are scored on the same held-out
    // users: deltas and the metadata twin get paired difference intervals.
    const paired = [...report.deltas, ...report.twins.flatMap((t) => t.deltas)].filter((d) => d.metric !== 'coverage');
    expect(paired.length).toBe(3 * 7 + 7);
    expect(paired.every((d) => d.difference !== undefined && d.difference.lower <= d.absolute + 1e-12 && d.absolute <= d.difference.upper + 1e-12)).toBe(true);
    expect(report.deltas.find((d) => d.solution === 'metadata.personalized' && d.metric === 'precision_at_10')?.confidence).toBe('clear');
    const text = await runCli(['report', '--local'], { cwd: dir });
    expect(text.stdout).toContain('95% bootstrap intervals over the held-out users');
    expect(text.stdout).toMatch(/metadata\.personalized +precision@10 .* difference interval \[0\.\d{4}, 0\.\d{4}\] excludes 0$/m);
  }, 60_000);
});
