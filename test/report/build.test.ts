import { describe, expect, it } from 'vitest';
import { buildReport, gatesPass } from '../../src/report/build.ts';
import { evaluateGate, gateFailureLine } from '../../src/report/gates.ts';
import type { SolutionResult } from '../../src/report/types.ts';
import { renderReportCsv } from '../../src/render/report-csv.ts';
import { renderReportJson } from '../../src/render/report-json.ts';
import { renderReportMarkdown } from '../../src/render/report-markdown.ts';
import { renderReportText } from '../../src/render/report-text.ts';
import { AT, measuredSolution } from './fixture.ts';

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
    expect(csv[1]).toBe('baseline.popularity,baseline,popularity,aws-popularity-count,false,arn:aws:personalize:us-east-1:000000000000:solution/shop-baseline-popularity/0000abcd,precision_at_10,0.04,0.03,0.05,false,,');
    expect(csv).toHaveLength(1 + 6 + 1);
    const json = renderReportJson(report);
    expect(JSON.parse(json)).toMatchObject({ formatVersion: 1, pocName: 'shop', baseline: 'baseline.popularity' });
    expect(renderReportJson(buildReport({ pocName: 'shop', solutions: [popularity, personal, rich, missing], evaluation: { baseline: 'baseline.popularity', gates: [] } }))).toBe(
      renderReportJson(buildReport({ pocName: 'shop', solutions: [popularity, personal, rich, missing], evaluation: { baseline: 'baseline.popularity', gates: [] } })),
    );
  });
});
