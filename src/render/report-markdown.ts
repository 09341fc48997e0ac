import type { Report } from '../report/types.ts';
import { capMarkdown, cell, code, MARKDOWN_LIMIT } from './plan-markdown-cap.ts';
import { confidenceText, deltaText, gateText, isBest, measured, metricLabel, num, pairedNote, statusNote, valueCell } from './report-format.ts';

/** The hidden marker a CI step finds to update its previous report comment instead of adding one. */
export const REPORT_MARKER = '<!-- personalize-poc:report -->';

/**
 * The report as a pull-request comment or job summary: gates first (what decides the build),
 * then metrics by solution with the best per metric in bold, deltas against the baseline and the
 * metadata twins. Never longer than GitHub's comment limit.
 */
export function renderReportMarkdown(report: Report, options: { limit?: number } = {}): string {
  const lines = [REPORT_MARKER, `### personalize-poc report for ${code(report.pocName)}`, ''];
  if (report.gates.length > 0) {
    const failed = report.gates.filter((g) => g.outcome === 'fail');
    lines.push(failed.length === 0 ? `**Gates: all ${report.gates.length} passed.**` : `> [!CAUTION]\n> **${failed.length} of ${report.gates.length} gates failed.**`, '');
    for (const g of report.gates) lines.push(`- ${g.outcome === 'pass' ? '✅' : '❌'} ${cell(gateText(g))}`);
    lines.push('');
  }
  const shown = measured(report);
  if (shown.length > 0) {
    lines.push(`| metric | ${shown.map((s) => `${code(s.ref)}<br>${cell(s.recipe)}`).join(' | ')} |`, `|---|${shown.map(() => '---:|').join('')}`);
    for (const m of report.metrics) {
      lines.push(`| ${metricLabel(m)} | ${shown.map((s) => (isBest(report, s.ref, m) ? `**${valueCell(s, m)}**` : valueCell(s, m))).join(' | ')} |`);
    }
    const paired = pairedNote(report);
    const note = `${report.intervals === undefined ? '' : ` Brackets: ${Math.round(report.intervals.level * 100)}% bootstrap intervals over the held-out users.`}${paired === '' ? '' : ` ${paired}`}`;
    lines.push('', `_Bold: best per metric.${report.baseline === undefined ? '' : ` Baseline: ${code(report.baseline)}.`}${note}_`);
  }
  const missing = report.solutions.filter((s) => s.metrics === undefined);
  if (missing.length > 0) {
    lines.push('', '**Without metrics:**', '');
    for (const s of missing) lines.push(`- ${code(s.ref)} (${s.recipe}): ${statusNote(s)}`);
  }
  if (report.deltas.length > 0) {
    lines.push('', `<details><summary>Against the baseline ${code(report.baseline ?? '')}</summary>`, '', '| solution | metric | value | baseline | delta | |', '|---|---|---:|---:|---:|---|');
    for (const d of report.deltas) lines.push(`| ${code(d.solution)} | ${metricLabel(d.metric)} | ${num(d.value)} | ${num(d.baseline)} | ${deltaText(d)} | ${confidenceText(d)} |`);
    lines.push('', '</details>');
  }
  for (const t of report.twins) {
    lines.push('', `<details><summary>Metadata: ${code(t.withMetadata)} beside ${code(t.withoutMetadata)} (${cell(t.recipe)})</summary>`, '', '| metric | with metadata | without | delta | |', '|---|---:|---:|---:|---|');
    for (const d of t.deltas) lines.push(`| ${metricLabel(d.metric)} | ${num(d.value)} | ${num(d.baseline)} | ${deltaText(d)} | ${confidenceText(d)} |`);
    lines.push('', '</details>');
  }
  const limit = options.limit ?? MARKDOWN_LIMIT;
  return capMarkdown(lines, limit, (omitted) => `_Output cut to fit ${limit.toLocaleString('en-US')} characters: ${omitted} more lines are in the JSON report._`);
}
