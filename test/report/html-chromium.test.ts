import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.ts';
import { renderReportHtml } from '../../src/render/report-html.ts';
import { measuredSolution } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);

/** The page as Chromium rendered it: its DOM after parsing, styles and layout. */
async function renderedDom(html: string, dir: string): Promise<string> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report test renders the page in Debian's headless Chromium (apt-get install chromium; .ci/run installs it).`);
  }
  const page = join(dir, 'report.html');
  writeFileSync(page, html);
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`];
  const { stdout } = await run(CHROMIUM, [...flags, '--dump-dom', `file://${page}`], { timeout: 60_000, maxBuffer: 16 << 20 });
  return stdout;
}

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poc-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders one SVG chart per metric with one bar per solution and error bars where intervals exist', async () => {
    const report = buildReport({
      pocName: 'shop<&>',
      solutions: [
        measuredSolution('baseline.popularity', 'aws-popularity-count', { precision_at_10: 0.04, coverage: 0.05, mean_reciprocal_rank_at_25: 0.1 }, { precision_at_10: [0.03, 0.05], mean_reciprocal_rank_at_25: [0.08, 0.12] }),
        measuredSolution('baseline.personal', 'aws-user-personalization-v2', { precision_at_10: 0.06, coverage: 0.3, mean_reciprocal_rank_at_25: 0.2 }, { precision_at_10: [0.045, 0.075], mean_reciprocal_rank_at_25: [0.15, 0.25] }),
        measuredSolution('metadata.personal', 'aws-user-personalization-v2', { precision_at_10: 0.09, coverage: 0.3, mean_reciprocal_rank_at_25: 0.22 }, { precision_at_10: [0.08, 0.1], mean_reciprocal_rank_at_25: [0.18, 0.26] }),
      ],
      evaluation: { baseline: 'baseline.popularity', gates: [] },
    });
    const html = renderReportHtml(report);
    expect(html).not.toMatch(/(src|href)=|<script|@import|url\(/);
    const dom = await renderedDom(html, dir);
    const charts = dom.match(/<svg[^>]*class="chart"[^>]*>[\s\S]*?<\/svg>/g) ?? [];
    expect(charts.map((c) => /data-metric="([^"]+)"/.exec(c)?.[1])).toEqual(['precision_at_10', 'mean_reciprocal_rank_at_25', 'coverage']);
    for (const chart of charts) expect(count(chart, /<rect class="bar[ "]/g)).toBe(3);
    expect(charts.map((c) => count(c, /class="error-bar"/g))).toEqual([3, 3, 0]);
    expect(count(charts[0] ?? '', /<rect class="bar baseline"/g)).toBe(1);
    expect(count(charts[0] ?? '', /<rect class="bar best"/g)).toBe(1);
    expect(dom).toContain('<title>shop&lt;&amp;&gt;: evaluation report</title>');
  }, 90_000);
});
