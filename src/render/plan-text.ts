import { formatDiagnostic } from '../diagnostics/index.ts';
import type { Plan, PlannedChange } from '../plan/types.ts';
import type { ChangeStyle } from './plan-format.ts';
import { headline, SYMBOL, VERB, changesBySymbol, costLine, destructiveChanges, fieldLine, formatValue, styleOf, whyLine } from './plan-format.ts';

export interface TextOptions {
  /** ANSI colour; the CLI decides (TTY, NO_COLOR). Off by default so logs and goldens are plain. */
  readonly color?: boolean;
}

const ANSI: Readonly<Record<ChangeStyle | 'bold' | 'error', string>> = {
  create: '\u001b[32m',
  update: '\u001b[33m',
  replace: '\u001b[35m',
  delete: '\u001b[31m',
  bold: '\u001b[1m',
  error: '\u001b[31;1m',
};
const RESET = '\u001b[0m';

/**
 * The plan for a terminal or CI log: the summary line first, errors, then deletes and
 * replacements, billed actions, every change grouped + ~ -/+ - with its fields, and the tagged
 * resources that are only reported. Pure; ends with a newline.
 */
export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = (style: keyof typeof ANSI, text: string): string => (options.color === true ? `${ANSI[style]}${text}${RESET}` : text);
  const lines: string[] = [];
  lines.push(paint('bold', headline(plan)));

  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (plan.diagnostics.length > 0) {
    lines.push('');
    for (const d of plan.diagnostics) lines.push(paint(d.severity === 'error' ? 'error' : 'bold', formatDiagnostic(d)));
    if (errors.length > 0) lines.push('This plan has errors and cannot be applied.');
  }

  const destructive = destructiveChanges(plan);
  if (destructive.length > 0) {
    lines.push('', paint('delete', 'Destructive changes:'));
    for (const c of destructive) {
      const style = styleOf(c) as ChangeStyle;
      lines.push(`  ${paint(style, SYMBOL[style])} ${c.address} will be ${VERB[style]}: ${whyLine(c)}`);
    }
  }

  const cost = costLine(plan);
  if (cost !== undefined) {
    lines.push('', `Billed actions: ${cost}`);
    for (const c of plan.changes.filter((x) => x.cost.length > 0)) lines.push(`  ${c.address}: ${c.cost.join(', ')}`);
  }

  for (const c of changesBySymbol(plan)) lines.push('', ...changeBlock(c, paint));

  if (plan.undeclared.length > 0) {
    lines.push('', `Tagged with ${plan.pocName} but not declared in poc.yaml (${plan.prune ? 'this kind cannot be deleted' : 'left in place; enable prune to delete'}):`);
    for (const u of plan.undeclared) lines.push(`  ${u.address} (${u.kind} ${u.name})`);
  }
  return `${lines.join('\n')}\n`;
}

function changeBlock(c: PlannedChange, paint: (style: keyof typeof ANSI, text: string) => string): string[] {
  const style = styleOf(c) as ChangeStyle;
  const marks = c.cost.length > 0 ? ` [bills: ${c.cost.join(', ')}]` : '';
  const out = [`${paint(style, SYMBOL[style])} ${c.address} (${c.kind} ${c.name})${marks}`, `    why: ${whyLine(c)}`];
  if (style === 'create' && c.id === undefined) {
    // Unset (null) fields say nothing a reviewer needs on a create.
    for (const [field, value] of Object.entries(c.after ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) if (value !== null) out.push(`    ${field}: ${formatValue(value)}`);
  }
  for (const f of c.fieldDiffs) out.push(`    ${fieldLine(f, styleOf(c))}`);
  for (const d of c.details ?? []) {
    out.push(`    ${d.title}:`);
    for (const row of d.rows) out.push(`      ${Object.entries(row).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  return out;
}
