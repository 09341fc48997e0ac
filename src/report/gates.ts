import type { GateSpec } from '../manifest/types.ts';
import type { GateResult, SolutionResult } from './types.ts';

function valueOf(solutions: ReadonlyMap<string, SolutionResult>, ref: string, metric: string): number | undefined {
  return solutions.get(ref)?.metrics?.[metric];
}

function missing(gate: GateSpec, ref: string, solutions: ReadonlyMap<string, SolutionResult>): string {
  const s = solutions.get(ref);
  if (s === undefined || s.metrics === undefined) return `${ref} has no metrics${s?.note === undefined ? '' : ` (${s.note})`}`;
  return `${ref} does not report ${gate.metric}`;
}

/**
 * A gate's verdict, pure. `beats`: the solution must exceed the other's value by at least
 * `byPercent` percent (0: strictly greater). `min`: it must reach `min`. Missing numbers fail.
 */
export function evaluateGate(gate: GateSpec, solutions: ReadonlyMap<string, SolutionResult>): GateResult {
  const base = { name: gate.name, kind: gate.kind, solution: gate.solution, metric: gate.metric } as const;
  const value = valueOf(solutions, gate.solution, gate.metric);
  if (value === undefined) return { ...base, outcome: 'fail', reason: missing(gate, gate.solution, solutions) };
  if (gate.kind === 'min') {
    const margin = value - gate.min;
    return { ...base, outcome: margin >= 0 ? 'pass' : 'fail', value, required: gate.min, margin };
  }
  const other = valueOf(solutions, gate.other, gate.metric);
  const withOther = { ...base, other: gate.other, byPercent: gate.byPercent } as const;
  if (other === undefined) return { ...withOther, outcome: 'fail', value, reason: missing(gate, gate.other, solutions) };
  const required = other * (1 + gate.byPercent / 100);
  const margin = value - required;
  const improvementPercent = other === 0 ? undefined : (value / other - 1) * 100;
  const passes = gate.byPercent === 0 ? value > other : value >= required;
  return {
    ...withOther,
    outcome: passes ? 'pass' : 'fail',
    value,
    otherValue: other,
    required,
    margin,
    ...(improvementPercent === undefined ? {} : { improvementPercent }),
  };
}

/** One line a CI log can show for a failed gate: which gate and by how much. */
export function gateFailureLine(g: GateResult): string {
  if (g.reason !== undefined) return `Gate failed: ${g.name}: ${g.reason}.`;
  const fmt = (n: number | undefined): string => (n === undefined ? '?' : n.toFixed(4));
  if (g.kind === 'min') return `Gate failed: ${g.name}: ${g.metric} is ${fmt(g.value)}, below the minimum ${fmt(g.required)} by ${fmt(-(g.margin ?? 0))}.`;
  const improvement = g.improvementPercent === undefined ? '' : ` (${g.improvementPercent >= 0 ? '+' : ''}${g.improvementPercent.toFixed(1)}%, needed +${(g.byPercent ?? 0).toFixed(1)}%)`;
  return `Gate failed: ${g.name}: ${g.metric} is ${fmt(g.value)} against ${fmt(g.otherValue)} for ${g.other ?? '?'}${improvement}; short of ${fmt(g.required)} by ${fmt(-(g.margin ?? 0))}.`;
}
