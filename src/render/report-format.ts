import type { Delta, GateResult, Interval, Report, SolutionResult } from '../report/types.ts';

/** Short metric names for tables and charts; unknown keys show as they are. */
const LABELS: Readonly<Record<string, string>> = {
  precision_at_5: 'precision@5',
  precision_at_10: 'precision@10',
  precision_at_25: 'precision@25',
  normalized_discounted_cumulative_gain_at_5: 'NDCG@5',
  normalized_discounted_cumulative_gain_at_10: 'NDCG@10',
  normalized_discounted_cumulative_gain_at_25: 'NDCG@25',
  mean_reciprocal_rank_at_25: 'MRR@25',
  coverage: 'coverage',
};

export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric;
}

export function num(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(4);
}

export function signed(value: number, digits = 4): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

export function interval(i: Interval | undefined): string {
  return i === undefined ? '' : `[${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}]`;
}

/** `0.0456 [0.0401, 0.0512]`, with the interval when there is one. */
export function valueCell(s: SolutionResult, metric: string): string {
  const v = s.metrics?.[metric];
  if (v === undefined) return '-';
  const i = s.intervals?.[metric];
  return i === undefined ? num(v) : `${num(v)} ${interval(i)}`;
}

export function isBest(report: Report, ref: string, metric: string): boolean {
  return report.best[metric]?.includes(ref) === true;
}

/** `+0.0333 (+270.7%)`. */
export function deltaText(d: Delta): string {
  return `${signed(d.absolute)}${d.percent === undefined ? '' : ` (${signed(d.percent, 1)}%)`}`;
}

/** Whether a delta is clear of noise, by its paired difference interval when it has one, else by the two intervals. */
export function confidenceText(d: Delta): string {
  if (d.difference !== undefined) return `difference interval ${interval(d.difference)} ${d.confidence === 'clear' ? 'excludes 0' : 'includes 0: may be noise'}`;
  if (d.confidence === 'clear') return 'intervals do not overlap';
  if (d.confidence === 'uncertain') return 'intervals overlap: may be noise';
  return '';
}

/** How difference intervals were computed, as a sentence; empty when no comparison has one. */
export function pairedNote(report: Report): string {
  const paired = [...report.deltas, ...report.twins.flatMap((t) => t.deltas)].find((d) => d.difference !== undefined)?.difference;
  if (paired === undefined) return '';
  return `Difference intervals: ${Math.round(paired.level * 100)}% paired bootstrap over the held-out users both solutions share; one that excludes 0 is unlikely to be noise.`;
}

export function measured(report: Report): SolutionResult[] {
  return report.solutions.filter((s) => s.metrics !== undefined);
}

/** One sentence per gate: verdict, values, and the margin that decided it. */
export function gateText(g: GateResult): string {
  const verdict = g.outcome === 'pass' ? 'PASS' : 'FAIL';
  if (g.reason !== undefined) return `${verdict} ${g.name}: ${g.reason}`;
  if (g.kind === 'min') return `${verdict} ${g.name}: ${num(g.value)} against a minimum of ${num(g.required)} (margin ${signed(g.margin ?? 0)})`;
  const pct = g.improvementPercent === undefined ? '' : `, ${signed(g.improvementPercent, 1)}%`;
  const needed = (g.byPercent ?? 0) > 0 ? `, needed ${signed(g.byPercent ?? 0, 1)}%` : '';
  return `${verdict} ${g.name}: ${num(g.value)} against ${num(g.otherValue)} for ${g.other ?? '?'}${pct}${needed} (margin ${signed(g.margin ?? 0)})`;
}

export function statusNote(s: SolutionResult): string {
  return s.note ?? s.status;
}
