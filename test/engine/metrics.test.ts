import { describe, expect, it } from 'vitest';
import { hitRanks, ndcgPersonalize, ndcgTextbook, precisionAtK, reciprocalRank, userMetrics } from '../../src/engine/metrics.ts';

describe('offline metrics', () => {
  it('reproduces the documented example: hits at ranks 2 and 5 with K = 5', () => {
    const recommended = [10, 11, 12, 13, 14];
    const relevant = new Set([11, 14, 99]);
    const hits = hitRanks(recommended, relevant, 5);
    expect(hits).toEqual([2, 5]);
    expect(precisionAtK(hits, 5)).toBeCloseTo(0.4, 12);
    expect(reciprocalRank(hits)).toBeCloseTo(0.5, 12);
    expect(ndcgPersonalize(hits)).toBeCloseTo(0.6241, 4);
  });

  it('normalises Personalize NDCG by the hits, textbook NDCG by min(|relevant|, K)', () => {
    // One hit at rank 1 is a perfect ordering of the hits, but only 1 of 3 relevant items found.
    expect(ndcgPersonalize([1])).toBe(1);
    expect(ndcgTextbook([1], 3, 5)).toBeCloseTo(1 / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)), 12);
    // Hits at 2 and 5 with two relevant items: both variants agree.
    expect(ndcgTextbook([2, 5], 2, 5)).toBeCloseTo(ndcgPersonalize([2, 5]), 12);
  });

  it('scores zero for a list without hits and counts only the top K', () => {
    const m = userMetrics([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], new Set([12]));
    expect(m.precision_at_5).toBe(0);
    expect(m.precision_at_10).toBe(0);
    expect(m.normalized_discounted_cumulative_gain_at_10).toBe(0);
    expect(m.precision_at_25).toBeCloseTo(1 / 25, 12);
    expect(m.mean_reciprocal_rank_at_25).toBeCloseTo(1 / 12, 12);
    // A single hit at rank 12: the ideal puts it at rank 1, in both variants.
    expect(m.normalized_discounted_cumulative_gain_at_25).toBeCloseTo(1 / Math.log2(13), 12);
    expect(m.ndcg_textbook_at_25).toBeCloseTo(1 / Math.log2(13), 12);
  });
});
