import type { Report } from '../report/types.ts';
import { confidenceText, deltaText, gateText, isBest, measured, metricLabel, num, pairedNote, statusNote, valueCell } from './report-format.ts';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/**
 * The report for a terminal or CI log: metrics by solution (best per metric starred), deltas
 * against the baseline, metadata twins, then gates. Pure; ends with a newline.
 */
export function renderReportText(report: Report): string {
  const lines = [`Evaluation report for ${report.pocName}${report.baseline === undefined ? '' : ` (baseline: ${report.baseline})`}`];
  const shown = measured(report);
  if (shown.length > 0) {
    lines.push('');
    const header = ['metric', ...shown.map((s) => `${s.ref} (${s.recipe})`)];
    const rows = report.metrics.map((m) => [metricLabel(m), ...shown.map((s) => `${valueCell(s, m)}${isBest(report, s.ref, m) ? ' *' : ''}`)]);
    lines.push(...table([header, ...rows]));
    const paired = pairedNote(report);
    lines.push('', `* best per metric.${report.intervals === undefined ? '' : ` Brackets: ${Math.round(report.intervals.level * 100)}% bootstrap intervals over the held-out users (${report.intervals.resamples} resamples).`}${paired === '' ? '' : ` ${paired}`}`);
  }
  const missing = report.solutions.filter((s) => s.metrics === undefined);
  if (missing.length > 0) {
    lines.push('', 'Without metrics:');
    for (const s of missing) lines.push(`  ${s.ref} (${s.recipe}): ${statusNote(s)}`);
  }
  if (report.deltas.length > 0) {
    lines.push('', `Against the baseline ${report.baseline ?? ''}:`);
    lines.push(...table(report.deltas.map((d) => ['  ' + d.solution, metricLabel(d.metric), `${num(d.value)} vs ${num(d.baseline)}`, deltaText(d), confidenceText(d)])));
  }
  for (const t of report.twins) {
    lines.push('', `Metadata: ${t.withMetadata} (items/users) beside ${t.withoutMetadata} (interactions only), ${t.recipe}:`);
    lines.push(...table(t.deltas.map((d) => ['  ' + metricLabel(d.metric), `${num(d.value)} vs ${num(d.baseline)}`, deltaText(d), confidenceText(d)])));
  }
  if (report.gates.length > 0) {
    const failed = report.gates.filter((g) => g.outcome === 'fail').length;
    lines.push('', `Gates: ${report.gates.length - failed} passed, ${failed} failed`);
    for (const g of report.gates) lines.push(`  ${gateText(g)}`);
  }
  return `${lines.join('\n')}\n`;
}
