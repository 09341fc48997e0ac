import { canonicalJson } from '../plan/canonical-json.ts';
import type { Report } from '../report/types.ts';

/** The report as versioned JSON (`formatVersion`): sorted keys, stable bytes. */
export function renderReportJson(report: Report): string {
  return `${canonicalJson(report, 2)}\n`;
}
