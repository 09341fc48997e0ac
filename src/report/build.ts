import { pairedBootstrapCi } from '../engine/index.ts';
import type { UserMetricName } from '../engine/index.ts';
import type { EvaluationSpec } from '../manifest/types.ts';
import { evaluateGate } from './gates.ts';
import { REPORT_FORMAT_VERSION } from './types.ts';
import type { Delta, HeldOutScores, Interval, Report, SolutionResult, TwinPair } from './types.ts';

/** The service's metric keys in the order reports show them; other keys follow, sorted. */
export const METRIC_ORDER = [
  'precision_at_5',
  'precision_at_10',
  'precision_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'mean_reciprocal_rank_at_25',
  'coverage',
] as const;

export interface BuildReportInput {
  readonly pocName: string;
  readonly solutions: readonly SolutionResult[];
  readonly evaluation?: EvaluationSpec;
  readonly intervals?: Report['intervals'];
  /** Local runs: per-user metrics by `<group>.<solution>`, for paired differences (needs `intervals`). */
  readonly heldOut?: ReadonlyMap<string, HeldOutScores>;
}

/** How deltas are given intervals: the bootstrap's settings and each solution's per-user metrics. */
export interface PairedScores {
  readonly heldOut: ReadonlyMap<string, HeldOutScores>;
  readonly resamples: number;
  readonly level: number;
}

function metricsOf(solutions: readonly SolutionResult[]): string[] {
  const seen = new Set(solutions.flatMap((s) => Object.keys(s.metrics ?? {})));
  const known = METRIC_ORDER.filter((m) => seen.has(m));
  const other = [...seen].filter((m) => !(METRIC_ORDER as readonly string[]).includes(m)).sort();
  return [...known, ...other];
}

function bestOf(solutions: readonly SolutionResult[], metrics: readonly string[]): Record<string, string[]> {
  const best: Record<string, string[]> = {};
  for (const m of metrics) {
    let top = -Infinity;
    let refs: string[] = [];
    for (const s of solutions) {
      const v = s.metrics?.[m];
      if (v === undefined) continue;
      if (v > top) {
        top = v;
        refs = [s.ref];
      } else if (v === top) refs.push(s.ref);
    }
    // Everyone at zero is not "best" at anything.
    best[m] = top > 0 ? refs : [];
  }
  return best;
}

/**
 * The paired bootstrap interval of `solution` minus `reference` on `metric`, when both have an
 * interval for it (their recomputation reproduced the reported mean) and were scored on the same
 * held-out users; undefined otherwise (AWS, other data or filters, coverage).
 */
function pairedDifference(solution: SolutionResult, reference: SolutionResult, metric: string, paired: PairedScores | undefined): Interval | undefined {
  if (paired === undefined || solution.intervals?.[metric] === undefined || reference.intervals?.[metric] === undefined) return undefined;
  const a = paired.heldOut.get(solution.ref);
  const b = paired.heldOut.get(reference.ref);
  if (a === undefined || b === undefined) return undefined;
  // An interval exists only for per-user metrics (local-intervals.ts), so `metric` is one.
  const ci = pairedBootstrapCi(a.users, b.users, metric as UserMetricName, { seed: a.seed, resamples: paired.resamples, level: paired.level });
  return ci === undefined ? undefined : { lower: ci.lower, upper: ci.upper, level: ci.level };
}

/** Whether the difference is clear of noise: by the paired interval when there is one, else by whether the two intervals are disjoint. */
function confidenceOf(solution: SolutionResult, reference: SolutionResult, metric: string, difference: Interval | undefined): Delta['confidence'] {
  if (difference !== undefined) return difference.lower > 0 || difference.upper < 0 ? 'clear' : 'uncertain';
  const a = solution.intervals?.[metric];
  const b = reference.intervals?.[metric];
  if (a === undefined || b === undefined) return undefined;
  return a.lower > b.upper || b.lower > a.upper ? 'clear' : 'uncertain';
}

/** `solution` against `reference` on every metric both report, paired over held-out users when `paired` allows. */
export function deltasBetween(solution: SolutionResult, reference: SolutionResult, metrics: readonly string[], paired?: PairedScores): Delta[] {
  const out: Delta[] = [];
  for (const metric of metrics) {
    const value = solution.metrics?.[metric];
    const baseline = reference.metrics?.[metric];
    if (value === undefined || baseline === undefined) continue;
    const difference = pairedDifference(solution, reference, metric, paired);
    const confidence = confidenceOf(solution, reference, metric, difference);
    out.push({
      solution: solution.ref,
      metric,
      value,
      baseline,
      absolute: value - baseline,
      ...(baseline === 0 ? {} : { percent: (value / baseline - 1) * 100 }),
      ...(difference === undefined ? {} : { difference }),
      ...(confidence === undefined ? {} : { confidence }),
    });
  }
  return out;
}

/**
 * Pairs each solution in a group with metadata with the solution of the same key and recipe in a
 * group without: what the item and user metadata are worth. Both must be measured.
 */
export function findTwins(solutions: readonly SolutionResult[], metrics: readonly string[], paired?: PairedScores): TwinPair[] {
  const out: TwinPair[] = [];
  for (const rich of solutions.filter((s) => s.metadata && s.metrics !== undefined)) {
    for (const plain of solutions.filter((s) => !s.metadata && s.metrics !== undefined && s.key === rich.key && s.recipe === rich.recipe)) {
      out.push({ key: rich.key, recipe: rich.recipe, withMetadata: rich.ref, withoutMetadata: plain.ref, deltas: deltasBetween(rich, plain, metrics, paired) });
    }
  }
  return out;
}

/** The report from what was collected: pure and deterministic. */
export function buildReport(input: BuildReportInput): Report {
  const solutions = [...input.solutions];
  const metrics = metricsOf(solutions);
  const byRef = new Map(solutions.map((s) => [s.ref, s]));
  const baselineRef = input.evaluation?.baseline;
  const baseline = baselineRef === undefined ? undefined : byRef.get(baselineRef);
  const paired = input.heldOut === undefined || input.intervals === undefined ? undefined : { heldOut: input.heldOut, resamples: input.intervals.resamples, level: input.intervals.level };
  const deltas = baseline?.metrics === undefined ? [] : solutions.filter((s) => s.ref !== baseline.ref && s.metrics !== undefined).flatMap((s) => deltasBetween(s, baseline, metrics, paired));
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    pocName: input.pocName,
    ...(baselineRef === undefined ? {} : { baseline: baselineRef }),
    metrics,
    solutions,
    best: bestOf(solutions, metrics),
    deltas,
    twins: findTwins(solutions, metrics, paired),
    gates: (input.evaluation?.gates ?? []).map((g) => evaluateGate(g, byRef)),
    ...(input.intervals === undefined ? {} : { intervals: input.intervals }),
  };
}

/** Whether every gate passed (true when there are none). */
export function gatesPass(report: Report): boolean {
  return report.gates.every((g) => g.outcome === 'pass');
}
