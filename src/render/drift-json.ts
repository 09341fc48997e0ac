import { canonicalJson } from '../plan/canonical-json.ts';
import type { DriftReport } from '../plan/drift.ts';
import { countFindings, driftOutcome } from '../plan/drift.ts';

/** The report with its status and counts, pretty, sorted keys, stable bytes. */
export function renderDriftJson(report: DriftReport): string {
  return `${canonicalJson({ ...report, status: driftOutcome(report).status, counts: countFindings(report) }, 2)}\n`;
}
