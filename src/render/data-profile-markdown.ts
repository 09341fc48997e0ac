import type { DataFinding } from '../data/findings.ts';
import type { DatasetGroupReport } from '../data/types.ts';
import { interactionLines } from './data-profile-text.ts';

/** How many findings a PR comment lists per file before pointing at the full output. */
const MAX_ROWS = 50;

/** A PR-comment view: a summary table, then each file's findings table and profile. */
export function renderDataReportMarkdown(report: DatasetGroupReport): string {
  const out: string[] = ['### Data validation', '', '| file | type | rows | errors | warnings |', '|---|---|---:|---:|---:|'];
  for (const f of report.files) out.push(`| \`${cell(f.file)}\` | ${f.datasetType} | ${f.profile.rows} | ${f.totals.error} | ${f.totals.warning} |`);
  for (const f of report.files) {
    out.push('', `#### \`${cell(f.file)}\``);
    if (f.findings.length > 0) out.push('', ...table(f.findings));
    if (f.truncated || f.findings.length > MAX_ROWS) out.push('', '_More findings were counted than are listed here; run `poc validate` for all of them._');
    const p = f.profile.interactions;
    if (p !== undefined) out.push('', '<details><summary>Profile</summary>', '', ...interactionLines(p).map((l) => `- ${cell(l)}`), '', '</details>');
  }
  if (report.group.length > 0) out.push('', '#### Dataset group', '', ...table(report.group));
  return `${out.join('\n')}\n`;
}

function table(findings: readonly DataFinding[]): string[] {
  const rows = findings.slice(0, MAX_ROWS).map((f) => {
    const where = f.line === undefined ? '' : `${f.line}${f.column === undefined ? '' : `:${f.column}`}`;
    const count = f.grouped !== undefined && f.grouped.count > 1 ? ` (×${f.grouped.count})` : '';
    return `| ${f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️'} | \`${f.code}\` | ${where} | ${cell(f.path ?? '')} | ${cell(f.message)}${count} |`;
  });
  return ['| | rule | line:col | column | message |', '|---|---|---|---|---|', ...rows];
}

/** Keeps a value inside one table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
