/** The metric keys GetSolutionMetrics returns, plus the textbook NDCG variants under their own names. */
export type MetricName =
  | 'coverage'
  | 'mean_reciprocal_rank_at_25'
  | 'normalized_discounted_cumulative_gain_at_5'
  | 'normalized_discounted_cumulative_gain_at_10'
  | 'normalized_discounted_cumulative_gain_at_25'
  | 'precision_at_5'
  | 'precision_at_10'
  | 'precision_at_25'
  | 'ndcg_textbook_at_5'
  | 'ndcg_textbook_at_10'
  | 'ndcg_textbook_at_25';

/** Metrics computed per held-out user (every metric but coverage, which is over all users). */
export type UserMetricName = Exclude<MetricName, 'coverage'>;

export const CUTOFFS = [5, 10, 25] as const;

/** Gain of a hit at 1-based rank r. */
function gain(rank: number): number {
  return 1 / Math.log2(1 + rank);
}

/** 1-based ranks, within the top k, of the recommended items that are relevant. */
export function hitRanks(recommended: readonly number[], relevant: ReadonlySet<number>, k: number): number[] {
  const ranks: number[] = [];
  const n = Math.min(k, recommended.length);
  for (let i = 0; i < n; i++) if (relevant.has(recommended[i] as number)) ranks.push(i + 1);
  return ranks;
}

export function precisionAtK(hits: readonly number[], k: number): number {
  return hits.length / k;
}

export function reciprocalRank(hits: readonly number[]): number {
  return hits.length === 0 ? 0 : 1 / (hits[0] as number);
}

/**
 * Personalize's NDCG@K: the DCG of the hits divided by the DCG of the same number of hits placed
 * at the top. It measures how well the hits are ordered, not how many relevant items were
 * missed, so one hit at rank 1 scores 1 even when ten items were relevant.
 */
export function ndcgPersonalize(hits: readonly number[]): number {
  if (hits.length === 0) return 0;
  let dcg = 0;
  let ideal = 0;
  hits.forEach((rank, i) => {
    dcg += gain(rank);
    ideal += gain(i + 1);
  });
  return dcg / ideal;
}

/** Textbook NDCG@K: normalised by the ideal DCG of min(|relevant|, K) hits at the top. */
export function ndcgTextbook(hits: readonly number[], relevantCount: number, k: number): number {
  if (hits.length === 0) return 0;
  let dcg = 0;
  for (const rank of hits) dcg += gain(rank);
  let ideal = 0;
  for (let i = 1; i <= Math.min(relevantCount, k); i++) ideal += gain(i);
  return dcg / ideal;
}

/** Every per-user metric for one ranked list against one relevant set. */
export function userMetrics(recommended: readonly number[], relevant: ReadonlySet<number>): Record<UserMetricName, number> {
  const at = (k: number): number[] => hitRanks(recommended, relevant, k);
  const h5 = at(5);
  const h10 = at(10);
  const h25 = at(25);
  return {
    mean_reciprocal_rank_at_25: reciprocalRank(h25),
    normalized_discounted_cumulative_gain_at_5: ndcgPersonalize(h5),
    normalized_discounted_cumulative_gain_at_10: ndcgPersonalize(h10),
    normalized_discounted_cumulative_gain_at_25: ndcgPersonalize(h25),
    precision_at_5: precisionAtK(h5, 5),
    precision_at_10: precisionAtK(h10, 10),
    precision_at_25: precisionAtK(h25, 25),
    ndcg_textbook_at_5: ndcgTextbook(h5, relevant.size, 5),
    ndcg_textbook_at_10: ndcgTextbook(h10, relevant.size, 10),
    ndcg_textbook_at_25: ndcgTextbook(h25, relevant.size, 25),
  };
}

export const USER_METRIC_NAMES: readonly UserMetricName[] = [
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'precision_at_5',
  'precision_at_10',
  'precision_at_25',
  'ndcg_textbook_at_5',
  'ndcg_textbook_at_10',
  'ndcg_textbook_at_25',
];
