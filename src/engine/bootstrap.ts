import type { UserMetricName } from './metrics.ts';
import { createRng, randomInt } from './rng.ts';

export interface BootstrapOptions {
  /** Number of resamples; 1000 unless told. */
  readonly resamples?: number;
  readonly seed?: number;
  /** Two-sided confidence level in (0, 1); 0.95 unless told. */
  readonly level?: number;
}

/** A percentile bootstrap interval. Invariant: lower <= mean <= upper when there is any data. */
export interface ConfidenceInterval {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly resamples: number;
}

/** One held-out user's metrics. */
type UserValues = Readonly<Record<UserMetricName, number>>;

/**
 * Percentile bootstrap over held-out users: resample users with replacement, take the mean of
 * the metric each time, and read the interval off the sorted means. Seeded, so reproducible.
 */
export function bootstrapCi(perUser: readonly UserValues[], metric: UserMetricName, options: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapMean(perUser.map((u) => u[metric]), options);
}

/**
 * Paired percentile bootstrap of `perUser`'s mean minus `baseline`'s: resample users with
 * replacement and take the mean of each user's difference. Both models answered for the same
 * users, so what one user finds easy or hard cancels out and only the models' difference is
 * left: far narrower than comparing two separate intervals. Undefined unless both list the same
 * users in the same order (the same held-out users of the same split).
 */
export function pairedBootstrapCi(
  perUser: readonly (UserValues & { readonly userId: string })[],
  baseline: readonly (UserValues & { readonly userId: string })[],
  metric: UserMetricName,
  options: BootstrapOptions = {},
): ConfidenceInterval | undefined {
  if (perUser.length !== baseline.length || perUser.some((u, i) => u.userId !== baseline[i]?.userId)) return undefined;
  return bootstrapMean(perUser.map((u, i) => u[metric] - (baseline[i] as UserValues)[metric]), options);
}

function bootstrapMean(values: readonly number[], options: BootstrapOptions): ConfidenceInterval {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const n = values.length;
  const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
  if (n === 0) return { mean, lower: 0, upper: 0, level, resamples };
  const rng = createRng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[randomInt(rng, n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  const at = (q: number): number => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return { mean, lower: Math.min(mean, at(tail)), upper: Math.max(mean, at(1 - tail)), level, resamples };
}
