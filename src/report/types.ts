import type { UserEvaluation } from '../engine/index.ts';

/** Bumped on any incompatible change to {@link Report}'s JSON. */
export const REPORT_FORMAT_VERSION = 1 as const;

/** A bootstrap confidence interval of a metric over the held-out users (local runs only). */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
  /** Two-sided level, e.g. 0.95. */
  readonly level: number;
}

/**
 * What was found for one declared solution. Invariants: `metrics` is present exactly when
 * `status` is `measured`; `version` names the newest ACTIVE version the metrics are from.
 */
export interface SolutionResult {
  /** `<group>.<solution>`, as in poc.yaml. */
  readonly ref: string;
  readonly group: string;
  readonly key: string;
  readonly name: string;
  readonly recipe: string;
  /** Whether its dataset group has item or user metadata. */
  readonly metadata: boolean;
  readonly status: SolutionStatus;
  /** Why there are no metrics, in a sentence (absent when measured). */
  readonly note?: string;
  readonly version?: { readonly arn: string; readonly createdAt?: string; readonly dataFingerprint?: string };
  readonly metrics?: Readonly<Record<string, number>>;
  /** Per metric, when confidence intervals were computed. */
  readonly intervals?: Readonly<Record<string, Interval>>;
}

export type SolutionStatus = 'measured' | 'not-created' | 'no-active-version';

/** One metric of one solution against the baseline's. `percent` is absent when the baseline is 0. */
export interface Delta {
  readonly solution: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: number;
  readonly absolute: number;
  readonly percent?: number;
  /**
   * Local runs, when both were scored on the same held-out users: the paired bootstrap interval
   * of `absolute` (users resampled, the mean of each user's difference).
   */
  readonly difference?: Interval;
  /**
   * With `difference`: whether it excludes 0 (`clear`) or includes it (`uncertain`: the
   * difference may be noise). Otherwise, with intervals on both sides: whether they are disjoint
   * or overlap. Absent without intervals.
   */
  readonly confidence?: 'clear' | 'uncertain';
}

/**
 * One solution's per-user metrics on a local run, behind its reported means: what pairs two
 * solutions scored on the same held-out users. Not part of the report's JSON.
 */
export interface HeldOutScores {
  /** The bootstrap's seed (the evaluation split's). */
  readonly seed: number;
  /** Per held-out user, in the split's order. */
  readonly users: readonly UserEvaluation[];
}

/** A solution in a group with item/user metadata beside its same-key, same-recipe twin without. */
export interface TwinPair {
  readonly key: string;
  readonly recipe: string;
  readonly withMetadata: string;
  readonly withoutMetadata: string;
  readonly deltas: readonly Delta[];
}

export type GateOutcome = 'pass' | 'fail';

/**
 * A gate's verdict. `margin` is how far the value is above the requirement (negative: below), in
 * the metric's units; `required` is the value the solution had to reach. A gate whose numbers are
 * missing fails with a `reason`.
 */
export interface GateResult {
  readonly name: string;
  readonly kind: 'beats' | 'min';
  readonly solution: string;
  readonly metric: string;
  readonly outcome: GateOutcome;
  readonly value?: number;
  readonly required?: number;
  readonly margin?: number;
  /** For `beats`: the other solution and its value, and the improvement reached, in percent. */
  readonly other?: string;
  readonly otherValue?: number;
  readonly improvementPercent?: number;
  readonly byPercent?: number;
  readonly reason?: string;
}

/**
 * The evaluation report: a pure function of what was collected, so the same account state gives
 * the same bytes. Invariants: `metrics` lists every metric any solution reported, in a fixed
 * order (the service's keys first); `best[m]` names the solutions with the highest value of `m`
 * (several on a tie); deltas and twins only involve measured solutions.
 */
export interface Report {
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  readonly pocName: string;
  readonly baseline?: string;
  readonly metrics: readonly string[];
  readonly solutions: readonly SolutionResult[];
  readonly best: Readonly<Record<string, readonly string[]>>;
  readonly deltas: readonly Delta[];
  readonly twins: readonly TwinPair[];
  readonly gates: readonly GateResult[];
  /** How intervals were computed, when they were. */
  readonly intervals?: { readonly method: 'bootstrap'; readonly resamples: number; readonly level: number; readonly over: 'held-out users' };
}
