import type { DriftReport } from '../plan/drift.ts';
import { FINDING_HEADING, FINDING_ORDER, driftSummaryLine, findingDetail } from './drift-format.ts';
import { MARKDOWN_LIMIT, capMarkdown, code } from './plan-markdown-cap.ts';

/** The hidden marker a scheduled job finds to update its previous issue comment. */
export const DRIFT_MARKER = '<!-- personalize-poc:drift -->';

/** Drift as an issue comment or job summary, capped like the plan's. Pure. */
export function renderDriftMarkdown(report: DriftReport, options: { readonly limit?: number } = {}): string {
  const lines = [DRIFT_MARKER, `### personalize-poc drift for ${code(report.pocName)}`, '', `**${driftSummaryLine(report)}**`];
  for (const type of FINDING_ORDER) {
    const found = report.findings.filter((f) => f.type === type);
    if (found.length === 0) continue;
    lines.push('', `#### ${FINDING_HEADING[type]}`, '');
    for (const f of found) {
      const detail = findingDetail(f);
      lines.push(`- ${code(f.address)} (${f.resourceKind} ${code(f.name)})${detail.length === 0 ? '' : ':'}`);
      for (const d of detail) lines.push(`  - ${code(d)}`);
    }
  }
  const limit = options.limit ?? MARKDOWN_LIMIT;
  return capMarkdown(lines, limit, (omitted) => `_Output cut to fit ${limit.toLocaleString('en-US')} characters: ${omitted} more lines are in the JSON report._`);
}
