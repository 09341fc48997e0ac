import type { DriftReport } from '../plan/drift.ts';
import { FINDING_HEADING, FINDING_ORDER, driftSummaryLine, findingDetail } from './drift-format.ts';

/** Drift for a terminal or scheduled CI log: summary line, then findings by type. Pure. */
export function renderDriftText(report: DriftReport): string {
  const lines = [driftSummaryLine(report)];
  for (const type of FINDING_ORDER) {
    const found = report.findings.filter((f) => f.type === type);
    if (found.length === 0) continue;
    lines.push('', `${FINDING_HEADING[type]}:`);
    for (const f of found) {
      lines.push(`  ${f.address} (${f.resourceKind} ${f.name})`);
      for (const d of findingDetail(f)) lines.push(`      ${d}`);
    }
  }
  if (report.findings.length > 0) lines.push('', 'Drift is reported, never applied: run `poc plan` to see what apply would change.');
  return `${lines.join('\n')}\n`;
}
