import { USER_METRIC_NAMES } from '../../src/engine/metrics.ts';
import type { UserEvaluation } from '../../src/engine/index.ts';
import type { HeldOutScores, SolutionResult } from '../../src/report/types.ts';

/** A measured solution with the given metrics (and intervals, as `[lower, upper]`). */
export function measuredSolution(ref: string, recipe: string, metrics: Record<string, number>, intervals: Record<string, [number, number]> = {}): SolutionResult {
  const [group = '', key = ''] = ref.split('.');
  return {
    ref,
    group,
    key,
    name: `shop-${group}-${key}`,
    recipe,
    metadata: group === 'metadata',
    status: 'measured',
    version: { arn: `arn:aws:personalize:us-east-1:000000000000:solution/shop-${group}-${key}/0000abcd` },
    metrics,
    ...(Object.keys(intervals).length === 0 ? {} : { intervals: Object.fromEntries(Object.entries(intervals).map(([m, [lower, upper]]) => [m, { lower, upper, level: 0.95 }])) }),
  };
}

export const AT = { file: '/poc/poc.yaml', line: 1, column: 1 };

/** Held-out users `<prefix>0`, `<prefix>1`, ... scoring the given precision@10 values and 0 on every other metric. */
export function heldOutScores(p10: readonly number[], prefix = 'u'): HeldOutScores {
  const zero = Object.fromEntries(USER_METRIC_NAMES.map((m) => [m, 0]));
  return { seed: 7, users: p10.map((v, i) => ({ ...zero, userId: `${prefix}${i}`, relevant: 1, precision_at_10: v }) as UserEvaluation) };
}
