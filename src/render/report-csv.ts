import type { Report } from '../report/types.ts';

const HEADER = ['solution', 'group', 'key', 'recipe', 'metadata', 'version_arn', 'metric', 'value', 'ci_lower', 'ci_upper', 'best', 'baseline_delta', 'baseline_delta_percent', 'baseline_delta_ci_lower', 'baseline_delta_ci_upper'];

/** RFC 4180: quote a field only when it needs it. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const n = (v: number | undefined): string => (v === undefined ? '' : String(v));

/**
 * One row per solution and metric (long format, for spreadsheets and notebooks), full precision,
 * CRLF line ends as RFC 4180 asks. Solutions without metrics are left out. The delta's interval
 * is the paired one (local runs on shared held-out users), empty otherwise.
 */
export function renderReportCsv(report: Report): string {
  const rows = [HEADER];
  for (const s of report.solutions) {
    for (const metric of report.metrics) {
      const value = s.metrics?.[metric];
      if (value === undefined) continue;
      const i = s.intervals?.[metric];
      const d = report.deltas.find((x) => x.solution === s.ref && x.metric === metric);
      rows.push([s.ref, s.group, s.key, s.recipe, String(s.metadata), s.version?.arn ?? '', metric, n(value), n(i?.lower), n(i?.upper), String(report.best[metric]?.includes(s.ref) === true), n(d?.absolute), n(d?.percent), n(d?.difference?.lower), n(d?.difference?.upper)]);
    }
  }
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
