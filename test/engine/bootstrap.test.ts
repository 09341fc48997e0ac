import { describe, expect, it } from 'vitest';
import { bootstrapCi, pairedBootstrapCi } from '../../src/engine/bootstrap.ts';
import { USER_METRIC_NAMES, userMetrics, type UserMetricName } from '../../src/engine/metrics.ts';
import { createRng, randomInt } from '../../src/engine/rng.ts';

/** A held-out user scoring `p10` on precision@10 and 0 on everything else. */
function user(userId: string, p10: number): Record<UserMetricName, number> & { userId: string } {
  return { ...(Object.fromEntries(USER_METRIC_NAMES.map((m) => [m, 0])) as Record<UserMetricName, number>), precision_at_10: p10, userId };
}

describe('pairedBootstrapCi', () => {
  // Three users; the model beats the baseline by 0.3, 0 and 0.6 of precision@10.
  const model = [user('a', 0.4), user('b', 0.1), user('c', 0.7)];
  const baseline = [user('a', 0.1), user('b', 0.1), user('c', 0.1)];

  it('resamples users and takes the mean of their differences: a hand computation', () => {
    const ci = pairedBootstrapCi(model, baseline, 'precision_at_10', { seed: 5, resamples: 4, level: 0.5 });
    // The four resamples of three users each, as the seeded generator draws them.
    const rng = createRng(5);
    const differences = [0.4 - 0.1, 0.1 - 0.1, 0.7 - 0.1];
    const means = Array.from({ length: 4 }, () => [0, 1, 2].reduce((sum) => sum + (differences[randomInt(rng, 3)] as number), 0) / 3).sort((x, y) => x - y);
    const mean = (0.3 + 0 + 0.6) / 3;
    // Level 0.5 over four resamples: the 25th and 75th percentiles are the sorted means 1 and 3.
    expect(ci).toEqual({ mean, lower: Math.min(mean, means[1] as number), upper: Math.max(mean, means[3] as number), level: 0.5, resamples: 4 });
    expect(ci?.mean).toBeCloseTo(0.3, 12);
  });

  it('is the bootstrap of the per-user differences, and narrower than either interval when users agree', () => {
    const ci = pairedBootstrapCi(model, baseline, 'precision_at_10', { seed: 9 });
    const diff = bootstrapCi(model.map((u, i) => user(u.userId, u.precision_at_10 - (baseline[i]?.precision_at_10 ?? 0))), 'precision_at_10', { seed: 9 });
    expect(ci).toEqual(diff);
    // Hard and easy users move both models alike: the pairing removes that spread.
    const hard = Array.from({ length: 50 }, (_, i) => user(`u${i}`, (i % 5) / 5 + 0.1));
    const easy = hard.map((u) => user(u.userId, u.precision_at_10 - 0.1));
    const paired = pairedBootstrapCi(hard, easy, 'precision_at_10', { seed: 1 });
    expect(paired?.lower).toBeCloseTo(0.1, 12);
    expect(paired?.upper).toBeCloseTo(0.1, 12);
    const one = bootstrapCi(hard, 'precision_at_10', { seed: 1 });
    expect(one.upper - one.lower).toBeGreaterThan(0.1);
  });

  it('refuses users that differ or come in another order', () => {
    expect(pairedBootstrapCi(model, baseline.slice(1), 'precision_at_10')).toBeUndefined();
    expect(pairedBootstrapCi(model, [baseline[1], baseline[0], baseline[2]].filter((u) => u !== undefined), 'precision_at_10')).toBeUndefined();
    expect(pairedBootstrapCi(model, [user('a', 0), user('b', 0), user('z', 0)], 'precision_at_10')).toBeUndefined();
  });
});

describe('bootstrapCi', () => {
  const perUser = Array.from({ length: 200 }, (_, i) => userMetrics(i % 4 === 0 ? [7] : [8], new Set([7])));

  it('brackets the mean, narrows with the level and repeats with the seed', () => {
    const ci = bootstrapCi(perUser, 'precision_at_5', { resamples: 500, seed: 3 });
    expect(ci.mean).toBeCloseTo(0.25 * 0.2, 12);
    expect(ci.lower).toBeLessThan(ci.mean);
    expect(ci.upper).toBeGreaterThan(ci.mean);
    const narrow = bootstrapCi(perUser, 'precision_at_5', { resamples: 500, seed: 3, level: 0.5 });
    expect(narrow.upper - narrow.lower).toBeLessThan(ci.upper - ci.lower);
    expect(bootstrapCi(perUser, 'precision_at_5', { resamples: 500, seed: 3 })).toEqual(ci);
    // Standard error of a proportion 0.25 over 200 users, times 0.2 and 1.96: about 0.012 each side.
    expect(ci.upper - ci.lower).toBeGreaterThan(0.015);
    expect(ci.upper - ci.lower).toBeLessThan(0.04);
  });

  it('gives a zero-width interval when every user scores the same', () => {
    const same = Array.from({ length: 10 }, () => userMetrics([7], new Set([7])));
    const ci = bootstrapCi(same, 'precision_at_5', { seed: 1 });
    expect(ci.mean).toBeCloseTo(0.2, 12);
    expect(ci.upper - ci.lower).toBeCloseTo(0, 12);
  });
});
