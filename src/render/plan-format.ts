import { canonicalJson } from '../plan/canonical-json.ts';
import { hasChanges } from '../plan/plan.ts';
import type { FieldDiff, Plan, PlannedChange, PlanSummary, ReasonCode } from '../plan/types.ts';
import type { Json } from '../resources/kind.ts';

/** How a change is shown: Terraform's symbols, and the order sections appear in. */
export type ChangeStyle = 'delete' | 'replace' | 'create' | 'update';

export function styleOf(change: PlannedChange): ChangeStyle | undefined {
  const [first, second] = change.actions;
  if (first === 'no-op') return undefined;
  if (second !== undefined) return 'replace';
  return first;
}

export const SYMBOL: Readonly<Record<ChangeStyle, string>> = { create: '+', update: '~', replace: '-/+', delete: '-' };

export const VERB: Readonly<Record<ChangeStyle, string>> = { create: 'created', update: 'updated in place', replace: 'replaced', delete: 'deleted' };

export const REASON_TEXT: Readonly<Record<ReasonCode, string>> = {
  absent: 'not in the account yet',
  'field-changed': 'poc.yaml changed a field',
  'data-changed': 'the data files changed',
  'dependency-replaced': 'a resource it depends on is replaced',
  'failed-state': 'it is in a failed state',
  'not-declared': 'tagged with this POC but not declared in poc.yaml',
  'tags-changed': 'its ownership tags are missing or changed',
  destroy: 'poc destroy deletes everything this POC owns',
};

/** `Plan: 3 to create, 1 to update, 1 to replace, 0 to delete.` */
export function summaryLine(summary: PlanSummary): string {
  return `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.replace} to replace, ${summary.delete} to delete.`;
}

export const NO_CHANGES = 'No changes. The account matches poc.yaml.';

/** The first line: the summary, or the no-changes sentence only when it is wholly true. */
export function headline(plan: Plan): string {
  const quiet = !hasChanges(plan) && plan.diagnostics.length === 0 && plan.undeclared.length === 0;
  return quiet ? NO_CHANGES : summaryLine(plan.summary);
}

/** Deletes and replaces, in plan order: what a reviewer must see first. */
export function destructiveChanges(plan: Plan): PlannedChange[] {
  return plan.changes.filter((c) => c.actions[0] === 'delete');
}

/** Acting changes grouped + ~ -/+ -, each group in plan order. */
export function changesBySymbol(plan: Plan): PlannedChange[] {
  const order: ChangeStyle[] = ['create', 'update', 'replace', 'delete'];
  return order.flatMap((style) => plan.changes.filter((c) => styleOf(c) === style));
}

/** One line on why a change happens: the forcing fields for replacements, else the reasons. */
export function whyLine(change: PlannedChange): string {
  const forcing = change.fieldDiffs.filter((f) => f.forcesReplacement).map((f) => f.field);
  const parts = change.reasons.map((r) => (r === 'field-changed' || r === 'data-changed') && forcing.length > 0 ? `${forcing.join(', ')} ${forcing.length === 1 ? 'forces' : 'force'} ${styleOf(change) === 'replace' ? 'replacement' : 'a new one'}` : REASON_TEXT[r]);
  const extra = change.actions.length === 1 && change.actions[0] === 'create' && change.id !== undefined ? ['a new one is made beside the existing one, which stays'] : [];
  return [...new Set([...parts, ...extra])].join('; ');
}

const MAX_VALUE = 120;

/** A value as compact JSON, cut at 120 characters so one field cannot flood a review. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined) return '(none)';
  const text = canonicalJson(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * `field: before -> after`, `(sensitive)` for sensitive fields, marking the forcing field: a
 * replacement, or for create-only fields (new data) a new resource beside the old one.
 */
export function fieldLine(diff: FieldDiff, style: ChangeStyle | undefined): string {
  const values = diff.sensitive === true ? '(sensitive)' : `${formatValue(diff.before)} -> ${formatValue(diff.after)}`;
  const forcing = diff.forcesReplacement ? (style === 'replace' ? ' (forces replacement)' : ' (forces a new one)') : '';
  return `${diff.field}: ${values}${forcing}`;
}

/** Cost marks of acting changes, `mark (n)` sorted by mark. */
export function costLine(plan: Plan): string | undefined {
  const entries = Object.entries(plan.summary.cost).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return undefined;
  return entries.map(([mark, n]) => `${mark} (${String(n)})`).join(', ');
}
