import { formatDiagnostic, type Diagnostic } from '../diagnostics/index.ts';
import type { DatasetGroupReport } from '../data/types.ts';
import { DATA_REPORT_FORMAT_VERSION } from './data-profile-json.ts';
import { renderDataReportMarkdown } from './data-profile-markdown.ts';
import { renderDataReportText } from './data-profile-text.ts';

/** What `poc validate` found: problems in poc.yaml and the schemas, then each group's data report. */
export interface ValidationReport {
  readonly manifestPath: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly groups: readonly { readonly group: string; readonly report: DatasetGroupReport }[];
  readonly errors: number;
  readonly warnings: number;
}

export function validationSummary(r: ValidationReport): string {
  const verdict = r.errors === 0 ? `${r.manifestPath} is valid` : `${r.manifestPath} has problems`;
  return `${verdict}: ${r.errors} error(s), ${r.warnings} warning(s) in ${r.groups.length} dataset group(s).`;
}

export function renderValidationText(r: ValidationReport): string {
  const parts = [validationSummary(r), ''];
  for (const d of r.diagnostics) parts.push(formatDiagnostic(d));
  if (r.diagnostics.length > 0) parts.push('');
  for (const g of r.groups) parts.push(`Dataset group ${g.group}:`, renderDataReportText(g.report));
  return `${parts.join('\n').trimEnd()}\n`;
}

export function renderValidationMarkdown(r: ValidationReport): string {
  const parts = [`## ${r.errors === 0 ? '✅' : '❌'} ${validationSummary(r)}`, ''];
  if (r.diagnostics.length > 0) parts.push(...r.diagnostics.map((d) => `- \`${formatDiagnostic(d).replaceAll('`', "'")}\``), '');
  for (const g of r.groups) parts.push(`### Dataset group \`${g.group}\``, '', renderDataReportMarkdown(g.report));
  return `${parts.join('\n').trimEnd()}\n`;
}

export function renderValidationJson(r: ValidationReport): string {
  const view = {
    formatVersion: DATA_REPORT_FORMAT_VERSION,
    manifest: r.manifestPath,
    valid: r.errors === 0,
    errors: r.errors,
    warnings: r.warnings,
    diagnostics: r.diagnostics,
    groups: r.groups.map((g) => ({
      group: g.group,
      files: g.report.files.map((f) => ({ file: f.file, datasetType: f.datasetType, totals: f.totals, truncated: f.truncated, findings: f.findings, profile: f.profile })),
      findings: g.report.group,
    })),
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}
