import { describe, expect, it } from 'vitest';
import { buildReport, gatesPass } from '../../src/report/build.ts';
import { evaluateGate, gateFailureLine } from '../../src/report/gates.ts';
import type { SolutionResult } from '../../src/report/types.ts';
import { renderReportCsv } from '../../src/render/report-csv.ts';
import { renderReportHtml } from '../../src/render/report-html.ts';
import { renderReportJson } from '../../src/render/report-json.ts';
import { renderReportMarkdown } from '../../src/render/report-markdown.ts';
import { renderReportText } from '../../src/render/report-text.ts';
import { AT, heldOutScores, measuredSolution } from './fixture.ts';

const popularity = measuredSolution('baseline.popularity', 'aws-popularity-count', { precision_at_10: 0.04, coverage: 0.05 }, { precision_at_10: [0.03, 0.05] });
const personal = measuredSolution('baseline.personal', 'aws-user-personalization-v2', { precision_at_10: 0.06, coverage: 0.3 }, { precision_at_10: [0.045, 0.075] });
const rich = measuredSolution('metadata.personal', 'aws-user-personalization-v2', { precision_at_10: 0.09, coverage: 0.3 }, { precision_at_10: [0.08, 0.1] });
const missing: SolutionResult = { ref: 'metadata.sims', group: 'metadata', key: 'sims', name: 'shop-metadata-sims', recipe: 'aws-sims', metadata: true, status: 'no-active-version', note: 'a version is still training' };
const byRef = new Map([popularity, personal, rich, missing].map((s) => [s.ref, s]));

describe('buildReport', () => {
  const report = buildReport({
    pocName: 'shop',
    solutions: [popularity, personal, rich, missing],
    evaluation: {
      baseline: 'baseline.popularity',
      gates: [
        { kind: 'beats', name: 'rich beats popularity by 100%', solution: 'metadata.personal', metric: 'precision_at_10', other: 'baseline.popularity', byPercent: 100, at: AT },
        { kind: 'min', name: 'coverage', solution: 'baseline.popularity', metric: 'coverage', min: 0.1, at: AT },
      ],
    },
  });

  it('orders metrics, marks the best per metric (ties share it) and computes deltas against the baseline', () => {
    expect(report.metrics).toEqual(['precision_at_10', 'coverage']);
    expect(report.best).toEqual({ precision_at_10: ['metadata.personal'], coverage: ['baseline.personal', 'metadata.personal'] });
    const p10 = report.deltas.filter((d) => d.metric === 'precision_at_10');
    expect(p10.map((d) => [d.solution, d.absolute.toFixed(3), d.percent?.toFixed(1), d.confidence])).toEqual([
      ['baseline.personal', '0.020', '50.0', 'uncertain'],
      ['metadata.personal', '0.050', '125.0', 'clear'],
    ]);
    expect(report.deltas.find((d) => d.metric === 'coverage')?.confidence).toBeUndefined();
  });

  it('pairs the metadata solution with its twin of the same key and recipe', () => {
    expect(report.twins).toHaveLength(1);
    expect(report.twins[0]).toMatchObject({ key: 'personal', withMetadata: 'metadata.personal', withoutMetadata: 'baseline.personal' });
    expect(report.twins[0]?.deltas.find((d) => d.metric === 'precision_at_10')?.absolute).toBeCloseTo(0.03);
  });

  it('evaluates gates with their margins; --check fails on any', () => {
    expect(report.gates.map((g) => [g.outcome, g.margin?.toFixed(3)])).toEqual([['pass', '0.010'], ['fail', '-0.050']]);
    expect(gatesPass(report)).toBe(false);
    expect(gateFailureLine(report.gates[1]!)).toBe('Gate failed: coverage: coverage is 0.0500, below the minimum 0.1000 by 0.0500.');
  });

  it('fails a gate on a solution without metrics, or an equal value when it must beat', () => {
    const unmeasured = evaluateGate({ kind: 'min', name: 'g', solution: 'metadata.sims', metric: 'coverage', min: 0, at: AT }, byRef);
    expect(unmeasured).toMatchObject({ outcome: 'fail', reason: 'metadata.sims has no metrics (a version is still training)' });
    const tie = evaluateGate({ kind: 'beats', name: 'tie', solution: 'baseline.personal', metric: 'coverage', other: 'metadata.personal', byPercent: 0, at: AT }, byRef);
    expect(tie).toMatchObject({ outcome: 'fail', margin: 0, improvementPercent: 0 });
  });

  it('renders text, markdown, csv and json deterministically', () => {
    const text = renderReportText(report);
    expect(text).toMatch(/^precision@10\s+0\.0400 \[0\.0300, 0\.0500\]\s+0\.0600 \[0\.0450, 0\.0750\]\s+0\.0900 \[0\.0800, 0\.1000\] \*$/m);
    expect(text).toContain('metadata.sims (aws-sims): a version is still training');
    expect(text).toContain('Gates: 1 passed, 1 failed');
    expect(text).toContain('intervals overlap: may be noise');
    const md = renderReportMarkdown(report);
    expect(md.split('\n')[0]).toBe('<!-- personalize-poc:report -->');
    expect(md).toContain('**1 of 2 gates failed.**');
    expect(md).toContain('| precision@10 | 0.0400 [0.0300, 0.0500] | 0.0600 [0.0450, 0.0750] | **0.0900 [0.0800, 0.1000]** |');
    expect(renderReportMarkdown(report, { limit: 600 }).length).toBeLessThanOrEqual(600);
    const csv = renderReportCsv(report).split('\r\n');
    expect(csv[1]).toBe('baseline.popularity,baseline,popularity,aws-popularity-count,false,arn:aws:personalize:us-east-1:000000000000:solution/shop-baseline-popularity/0000abcd,precision_at_10,0.04,0.03,0.05,false,,,,');
    expect(csv).toHaveLength(1 + 6 + 1);
    const json = renderReportJson(report);
    expect(JSON.parse(json)).toMatchObject({ formatVersion: 1, pocName: 'shop', baseline: 'baseline.popularity' });
    expect(renderReportJson(buildReport({ pocName: 'shop', solutions: [popularity, personal, rich, missing], evaluation: { baseline: 'baseline.popularity', gates: [] } }))).toBe(
      renderReportJson(buildReport({ pocName: 'shop', solutions: [popularity, personal, rich, missing], evaluation: { baseline: 'baseline.popularity', gates: [] } })),
    );
  });
});

describe('paired differences on local runs', () => {
  const sims = measuredSolution('baseline.sims', 'aws-sims', { precision_at_10: 0.04, coverage: 0.2 }, { precision_at_10: [0.03, 0.05] });
  // Ten held-out users shared by the baseline group: personal finds 0.02 more for every one of
  // them, sims 0.1 more for one user and 0.1 less for another. The metadata group's users differ.
  const heldOut = new Map([
    ['baseline.popularity', heldOutScores([0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0, 0, 0])],
    ['baseline.personal', heldOutScores([0.12, 0.12, 0.12, 0.12, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02])],
    ['baseline.sims', heldOutScores([0.2, 0, 0.1, 0.1, 0, 0, 0, 0, 0, 0])],
    ['metadata.personal', heldOutScores([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0], 'other-')],
  ]);
  const report = buildReport({
    pocName: 'shop',
    solutions: [popularity, personal, sims, rich],
    evaluation: { baseline: 'baseline.popularity', gates: [] },
    intervals: { method: 'bootstrap', resamples: 1000, level: 0.95, over: 'held-out users' },
    heldOut,
  });
  const delta = (solution: string) => report.deltas.find((d) => d.solution === solution && d.metric === 'precision_at_10');

  it('gives a delta on the same held-out users a paired interval, where separate intervals would overlap', () => {
    // Every user's difference is 0.02, so every resample's mean is too: the interval is [0.02, 0.02].
    expect(delta('baseline.personal')).toMatchObject({ confidence: 'clear', difference: { level: 0.95 } });
    expect(delta('baseline.personal')?.difference?.lower).toBeCloseTo(0.02, 12);
    expect(delta('baseline.personal')?.difference?.upper).toBeCloseTo(0.02, 12);
    expect(delta('baseline.sims')).toMatchObject({ confidence: 'uncertain' });
    expect(delta('baseline.sims')?.difference?.lower).toBeLessThan(0);
    expect(delta('baseline.sims')?.difference?.upper).toBeGreaterThan(0);
    // Coverage has no per-user values; other held-out users cannot be paired: both fall back.
    expect(report.deltas.find((d) => d.metric === 'coverage')?.difference).toBeUndefined();
    expect(delta('metadata.personal')).toMatchObject({ confidence: 'clear' });
    expect(delta('metadata.personal')?.difference).toBeUndefined();
    expect(report.twins[0]?.deltas.find((d) => d.metric === 'precision_at_10')?.difference).toBeUndefined();
    // Without the bootstrap's settings (an AWS run) nothing is paired.
    const unpaired = buildReport({ pocName: 'shop', solutions: [popularity, personal], evaluation: { baseline: 'baseline.popularity', gates: [] }, heldOut });
    expect(unpaired.deltas.find((d) => d.metric === 'precision_at_10')).toMatchObject({ confidence: 'uncertain' });
    expect(unpaired.deltas.some((d) => d.difference !== undefined)).toBe(false);
  });

  it('says whether the difference interval excludes 0 in every format, and the old words where it is not paired', () => {
    const note = 'Difference intervals: 95% paired bootstrap over the held-out users both solutions share; one that excludes 0 is unlikely to be noise.';
    const text = renderReportText(report);
    expect(text).toMatch(/^ {2}baseline\.personal +precision@10 +0\.0600 vs 0\.0400 +\+0\.0200 \(\+50\.0%\) +difference interval \[0\.0200, 0\.0200\] excludes 0$/m);
    expect(text).toMatch(/^ {2}baseline\.sims +precision@10 +0\.0400 vs 0\.0400 +\+0\.0000 \(\+0\.0%\) +difference interval \[-0\.\d{4}, 0\.\d{4}\] includes 0: may be noise$/m);
    expect(text).toMatch(/^ {2}metadata\.personal +precision@10 +0\.0900 vs 0\.0400 +\+0\.0500 \(\+125\.0%\) +intervals do not overlap$/m);
    expect(text).toContain(note);
    const md = renderReportMarkdown(report);
    expect(md).toContain('| `baseline.personal` | precision@10 | 0.0600 | 0.0400 | +0.0200 (+50.0%) | difference interval [0.0200, 0.0200] excludes 0 |');
    expect(md).toContain(note);
    const html = renderReportHtml(report);
    expect(html).toContain('<td class="note">difference interval [0.0200, 0.0200] excludes 0</td>');
    expect(html).toContain(note);
    expect(html).not.toContain('Overlapping intervals mean a difference may be noise.');
    const csv = renderReportCsv(report).split('\r\n');
    expect(csv[0]?.endsWith(',baseline_delta,baseline_delta_percent,baseline_delta_ci_lower,baseline_delta_ci_upper')).toBe(true);
    const row = csv.find((r) => r.startsWith('baseline.personal,') && r.includes(',precision_at_10,'))?.split(',') ?? [];
    expect(Number(row.at(-2))).toBeCloseTo(0.02, 12);
    expect(Number(row.at(-1))).toBeCloseTo(0.02, 12);
    expect(csv.find((r) => r.startsWith('metadata.personal,') && r.includes(',precision_at_10,'))?.endsWith(',,')).toBe(true);
    expect(JSON.parse(renderReportJson(report)).deltas[0]).toMatchObject({ solution: 'baseline.personal', difference: { level: 0.95 } });
    // Unpaired reports keep today's words.
    expect(renderReportText(buildReport({ pocName: 'shop', solutions: [popularity, personal], evaluation: { baseline: 'baseline.popularity', gates: [] } }))).not.toContain('Difference intervals');
  });
});
