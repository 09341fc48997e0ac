import type { DriftFinding, DriftFindingType, DriftReport } from '../plan/drift.ts';
import { countFindings } from '../plan/drift.ts';
import { formatValue } from './plan-format.ts';

/** Section order and headings: what was lost first, what was merely found last. */
export const FINDING_ORDER: readonly DriftFindingType[] = ['missing', 'failed', 'changed', 'data-changed', 'tags-changed', 'undeclared'];

export const FINDING_HEADING: Readonly<Record<DriftFindingType, string>> = {
  missing: 'Missing (declared in poc.yaml, not in the account)',
  failed: 'In a failed state',
  changed: 'Changed outside poc.yaml',
  'data-changed': 'Imported data differs from the data files',
  'tags-changed': 'Ownership tags missing or changed',
  undeclared: 'Tagged with this POC but not declared in poc.yaml',
};

/** `Drift: 1 missing, 2 changed.` or the in-sync sentence. */
export function driftSummaryLine(report: DriftReport): string {
  if (report.findings.length === 0) return 'No drift. The account matches poc.yaml.';
  const counts = countFindings(report);
  const parts = FINDING_ORDER.filter((t) => counts[t] > 0).map((t) => `${counts[t]} ${t}`);
  return `Drift: ${parts.join(', ')}.`;
}

/** Detail lines under a finding's address (no indentation). */
export function findingDetail(f: DriftFinding): string[] {
  switch (f.type) {
    case 'missing':
      return [];
    case 'failed':
      return [`status: ${f.status}${f.failureReason === undefined ? '' : ` (${f.failureReason})`}`];
    case 'changed':
    case 'data-changed':
      return f.fields.map((d) => (d.sensitive === true ? `${d.field}: (sensitive) differs` : `${d.field}: poc.yaml ${formatValue(d.after)}, account ${formatValue(d.before)}`));
    case 'tags-changed':
      return [`tags: account ${formatValue(f.before)}, expected ${formatValue(f.after)}`];
    case 'undeclared':
      return [`id: ${f.id}`];
  }
}
