import { formatDiagnostic } from '../diagnostics/index.ts';
import type { DataFinding } from '../data/findings.ts';
import type { DataFileResult, DatasetGroupReport, InteractionsProfile } from '../data/types.ts';

/** One finding as a terminal line, with its repeat count and first lines when grouped. */
export function formatFinding(f: DataFinding): string {
  const g = f.grouped;
  const more = g !== undefined && g.count > 1 ? ` (${g.count} rows; first at lines ${g.firstLines.join(', ')})` : '';
  return formatDiagnostic(f) + more;
}

/** The terminal view of a dataset group's validation: findings first, then each file's profile. */
export function renderDataReportText(report: DatasetGroupReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    lines.push(`${file.file} (${file.datasetType}): ${file.profile.rows} rows, ${file.totals.error} error(s), ${file.totals.warning} warning(s)`);
    for (const f of file.findings) lines.push(`  ${formatFinding(f)}`);
    if (file.truncated) lines.push('  … more findings were counted but not listed (raise validation.maxErrors to see them)');
    lines.push(...profileLines(file).map((l) => `  ${l}`));
  }
  if (report.group.length > 0) {
    lines.push('dataset group:');
    for (const f of report.group) lines.push(`  ${formatFinding(f)}`);
  }
  return `${lines.join('\n')}\n`;
}

function profileLines(file: DataFileResult): string[] {
  const p = file.profile.interactions;
  const out = file.profile.columns.filter((c) => c.missing > 0 || c.distinct !== undefined).map((c) => `${c.name}: ${c.missing} empty${c.distinct === undefined ? '' : `, ${c.distinct}${c.distinctCapped === true ? '+' : ''} distinct`}`);
  return p === undefined ? out : [...interactionLines(p), ...out];
}

export function interactionLines(p: InteractionsProfile): string[] {
  const day = (s: number | undefined): string => (s === undefined ? '?' : new Date(s * 1000).toISOString().slice(0, 10));
  const q = (x: InteractionsProfile['perUser']): string => `median ${x.p50}, p90 ${x.p90}, max ${x.max}, mean ${x.mean.toFixed(1)}`;
  return [
    `users ${p.users} (${p.usersWithTwoInteractions} with 2+ interactions), items ${p.items}, span ${day(p.firstTimestamp)} to ${day(p.lastTimestamp)}`,
    `per user: ${q(p.perUser)}; per item: ${q(p.perItem)}`,
    `event types: ${p.eventTypes.map((e) => `${e.type} ${e.count}`).join(', ') || 'none'}`,
    `sparsity ${(p.sparsity * 100).toFixed(2)}%, top 1% of items ${(p.topItemShare * 100).toFixed(1)}% of interactions, power-law slope ${p.powerLawSlope?.toFixed(2) ?? 'n/a'}`,
    `duplicate events ~${(p.duplicateEventShare * 100).toFixed(1)}%, repeated user-item pairs ~${(p.repeatedPairShare * 100).toFixed(1)}%`,
    `weekly top-20 turnover ${p.weeklyTopItemTurnover === undefined ? 'n/a' : `${(p.weeklyTopItemTurnover * 100).toFixed(0)}%`}: retrain ${p.suggestedRetraining}`,
    ...p.filters.map((f) => `filter ${f.filter.label}: ${f.interactions} interactions, ${f.usersWithTwoInteractions} users with 2+`),
  ];
}
