import type { DatasetGroupReport } from '../data/types.ts';

/** Version of the JSON layout below; bump on any breaking change. */
export const DATA_REPORT_FORMAT_VERSION = 1;

/** Machine-readable view: findings and profiles, without the id maps kept for cross-file rules. */
export function renderDataReportJson(report: DatasetGroupReport): string {
  const view = {
    formatVersion: DATA_REPORT_FORMAT_VERSION,
    files: report.files.map((f) => ({ file: f.file, datasetType: f.datasetType, totals: f.totals, truncated: f.truncated, findings: f.findings, profile: f.profile })),
    group: report.group,
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}
