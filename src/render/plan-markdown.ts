import type { Plan, PlannedChange } from '../plan/types.ts';
import { MARKDOWN_LIMIT, capMarkdown, cell, code } from './plan-markdown-cap.ts';
import type { ChangeStyle } from './plan-format.ts';
import { headline, SYMBOL, VERB, changesBySymbol, costLine, destructiveChanges, fieldLine, formatValue, styleOf, whyLine } from './plan-format.ts';

/** The hidden marker a CI step finds to update its previous comment instead of adding one. */
export const PLAN_MARKER = '<!-- personalize-poc:plan -->';

/** Top-of-comment lists stay short so the summary is readable; everything is in the details. */
const LIST_LIMIT = 50;

export interface MarkdownOptions {
  /** Defaults to GitHub's comment limit, 65,535 characters. */
  readonly limit?: number;
}

/**
 * The plan as a pull-request comment or job summary: marker, summary, errors and destructive
 * changes at the top, billed actions, then every change inside <details>. Never longer than the
 * limit: past it, changes are cut and a note says how many lines were left out.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const lines: string[] = [PLAN_MARKER, `### personalize-poc plan for ${code(plan.pocName)}`, ''];
  lines.push(`**${headline(plan)}**`);

  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    lines.push('', '> [!CAUTION]', '> This plan has errors and cannot be applied:');
    for (const d of errors) lines.push(`> - ${code(d.code)} ${d.message}${d.hint === undefined ? '' : ` ${d.hint}`}`);
  }

  const destructive = destructiveChanges(plan);
  if (destructive.length > 0) {
    lines.push('', '> [!WARNING]', '> This plan deletes or replaces resources:');
    for (const c of destructive.slice(0, LIST_LIMIT)) {
      const style = styleOf(c) as ChangeStyle;
      lines.push(`> - ${code(SYMBOL[style])} ${code(c.address)} ${VERB[style]}: ${whyLine(c)}`);
    }
    if (destructive.length > LIST_LIMIT) lines.push(`> - and ${destructive.length - LIST_LIMIT} more, listed under All changes`);
  }

  const cost = costLine(plan);
  if (cost !== undefined) {
    lines.push('', `**Billed actions:** ${cost}`, '');
    const billed = plan.changes.filter((x) => x.cost.length > 0);
    for (const c of billed.slice(0, LIST_LIMIT)) lines.push(`- ${code(c.address)}: ${c.cost.join(', ')}`);
    if (billed.length > LIST_LIMIT) lines.push(`- and ${billed.length - LIST_LIMIT} more, listed under All changes`);
  }

  if (plan.undeclared.length > 0) {
    lines.push('', `**Tagged with ${code(plan.pocName)} but not declared in poc.yaml** (${plan.prune ? 'this kind cannot be deleted' : 'left in place; enable prune to delete'}):`, '');
    for (const u of plan.undeclared.slice(0, LIST_LIMIT)) lines.push(`- ${code(u.address)} (${u.kind} ${code(u.name)})`);
    if (plan.undeclared.length > LIST_LIMIT) lines.push(`- and ${plan.undeclared.length - LIST_LIMIT} more, listed in the plan JSON`);
  }

  const acting = changesBySymbol(plan);
  if (acting.length > 0) {
    lines.push('', `<details><summary>All changes (${acting.length})</summary>`, '', '| | Resource | Kind | Name | Why |', '|---|---|---|---|---|');
    for (const c of acting) {
      const style = styleOf(c) as ChangeStyle;
      lines.push(`| ${code(SYMBOL[style])} | ${code(c.address)} | ${c.kind} | ${cell(code(c.name))} | ${cell(whyLine(c))} |`);
    }
    for (const c of acting) {
      const detail = changeDetail(c);
      // A heading with nothing under it (a cascade replacement, a prune delete) says nothing the table does not.
      if (detail.length > 3) lines.push(...detail);
    }
    lines.push('', '</details>');
  }
  return capMarkdown(lines, options.limit ?? MARKDOWN_LIMIT, (omitted) => `_Output cut to fit ${(options.limit ?? MARKDOWN_LIMIT).toLocaleString('en-US')} characters: ${omitted} more lines are in the plan JSON._`);
}

function changeDetail(c: PlannedChange): string[] {
  const style = styleOf(c) as ChangeStyle;
  const out = ['', `**${code(SYMBOL[style])} ${code(c.address)}**${c.cost.length > 0 ? ` (bills: ${c.cost.join(', ')})` : ''}`, ''];
  if (style === 'create' && c.id === undefined) {
    for (const [field, value] of Object.entries(c.after ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) if (value !== null) out.push(`- ${code(`${field}: ${formatValue(value)}`)}`);
  }
  for (const f of c.fieldDiffs) out.push(`- ${code(fieldLine(f, styleOf(c)))}`);
  for (const d of c.details ?? []) {
    const columns = [...new Set(d.rows.flatMap((r) => Object.keys(r)))];
    if (columns.length === 0) continue;
    out.push('', `${d.title}:`, '', `| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---|').join('')}`);
    for (const row of d.rows) out.push(`| ${columns.map((k) => cell(row[k] ?? '')).join(' | ')} |`);
  }
  return out;
}
