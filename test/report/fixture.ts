import type { SolutionResult } from '../../src/report/types.ts';

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
