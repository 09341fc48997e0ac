/**
 * What `poc recommend` got back, ready to render. Invariants: `items` are in the service's order
 * and `rank` counts from 1; `score` is absent when the recipe returns none (related items,
 * popularity); exactly one of `userId` / `itemId` is set unless both were asked for.
 */
export interface RecommendResult {
  readonly source: { readonly kind: 'campaign' | 'recommender'; readonly ref: string; readonly name: string; readonly arn: string };
  /** GetRecommendations, or GetPersonalizedRanking for `--rank`. */
  readonly operation: 'recommendations' | 'ranking';
  readonly userId?: string;
  readonly itemId?: string;
  readonly filter?: { readonly ref: string; readonly values: Readonly<Record<string, string>> };
  readonly items: readonly { readonly rank: number; readonly itemId: string; readonly score?: number }[];
  readonly recommendationId?: string;
}

/** One line saying what was asked: whose recommendations, from what, through which filter. */
export function recommendHeading(r: RecommendResult): string {
  const what = r.operation === 'ranking' ? 'Ranking' : r.itemId !== undefined && r.userId === undefined ? 'Related items' : 'Recommendations';
  const whom = [r.userId === undefined ? undefined : `user ${r.userId}`, r.itemId === undefined ? undefined : `item ${r.itemId}`].filter((x) => x !== undefined).join(', ');
  const values = r.filter === undefined ? '' : Object.entries(r.filter.values).map(([k, v]) => `${k}=${v}`).join(' ');
  const filter = r.filter === undefined ? '' : `, filter ${r.filter.ref}${values === '' ? '' : ` (${values})`}`;
  return `${what} for ${whom === '' ? 'anyone' : whom} from ${r.source.kind} ${r.source.ref}${filter}`;
}

/** Scores as the service sends them, trimmed to what a reader compares; `-` when there is none. */
export function formatScore(score: number | undefined): string {
  if (score === undefined) return '-';
  // Four significant digits, zeros kept, so a column of scores lines up; counts stay whole numbers.
  return Math.abs(score) >= 1000 ? score.toFixed(0) : score.toPrecision(4);
}
