import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bootstrapCi, checkTrainingMinimums, evaluateRecipe, loadCsvData, serializeModel, trainModel } from '../../src/engine/index.ts';
import type { EngineData, Evaluation, EvaluateOptions, MetadataSource } from '../../src/engine/index.ts';
import { splitForEvaluation } from '../../src/engine/split.ts';
import { dataOf } from './helpers.ts';

function evaluate(options: EvaluateOptions): Evaluation {
  const r = evaluateRecipe(options);
  if (!r.ok) throw new Error(r.failure.message);
  return r.value;
}

describe('Personalize evaluation split', () => {
  const events: [string, string, number][] = [];
  for (let u = 0; u < 50; u++) for (let t = 0; t < 20; t++) events.push([`u${u}`, `i${(u + t) % 30}`, 1000 + t]);
  const data = dataOf(events);
  const rows = Int32Array.from({ length: events.length }, (_, i) => i);

  it("holds out 10% of users by seed and their newest 10% of events as truth", () => {
    const split = splitForEvaluation(data, rows, 1);
    expect(split.users.length).toBe(5);
    expect(split.train.length).toBe(events.length - 5 * 2);
    split.users.forEach((u, k) => {
      // Newest two events of twenty (timestamps 1018, 1019).
      const expected = new Set([(u + 18) % 30, (u + 19) % 30].map((i) => data.items.indexOf(`i${i}`)));
      expect(split.truth[k]).toEqual(expected);
    });
    expect(Array.from(splitForEvaluation(data, rows, 1).users)).toEqual(Array.from(split.users));
    expect(Array.from(splitForEvaluation(data, rows, 2).users)).not.toEqual(Array.from(split.users));
  });

  it('reports every documented metric key and the same numbers for the same seed', () => {
    const one = evaluate({ recipe: 'aws-sims', data, seed: 4, params: { min_cointeraction_count: '1' } });
    expect(Object.keys(one.metrics)).toEqual(expect.arrayContaining([
      'coverage', 'mean_reciprocal_rank_at_25', 'normalized_discounted_cumulative_gain_at_5', 'normalized_discounted_cumulative_gain_at_10',
      'normalized_discounted_cumulative_gain_at_25', 'precision_at_5', 'precision_at_10', 'precision_at_25', 'ndcg_textbook_at_10',
    ]));
    expect(one.perUser).toHaveLength(5);
    expect(evaluate({ recipe: 'aws-sims', data, seed: 4, params: { min_cointeraction_count: '1' } })).toEqual(one);
  });

  it('applies the minimum-data rule with the service wording', () => {
    expect(checkTrainingMinimums(data)).toBeUndefined();
    expect(checkTrainingMinimums(dataOf(events.slice(1)))?.message).toBe('Create failed. Dataset has fewer than 1000 interactions.');
    const many = dataOf(Array.from({ length: 1200 }, (_, i) => [`u${i % 20}`, `i${i % 7}`, i] as [string, string, number]));
    expect(checkTrainingMinimums(many)?.message).toBe('Create failed. Dataset has fewer than 25 users with at least 2 interactions each.');
  });
});

type MetricKey = keyof Evaluation['metrics'] & Parameters<typeof bootstrapCi>[1];

/**
 * "A clear margin": the mean is at least `ratio` times popularity's and the 95% bootstrap
 * intervals over held-out users do not overlap (UP's lower bound clears popularity's upper).
 */
function expectClearMargin(up: Evaluation, pop: Evaluation, metric: MetricKey, ratio: number): void {
  expect(up.metrics[metric]).toBeGreaterThanOrEqual(ratio * pop.metrics[metric]);
  expect(bootstrapCi(up.perUser, metric, { seed: 1 }).lower).toBeGreaterThan(bootstrapCi(pop.perUser, metric, { seed: 1 }).upper);
}

async function loadDir(dir: string, items: MetadataSource['kinds'], users: MetadataSource['kinds']): Promise<EngineData> {
  const loaded = await loadCsvData({
    interactions: createReadStream(`${dir}interactions.csv`),
    items: { source: createReadStream(`${dir}items.csv`), ...(items === undefined ? {} : { kinds: items }) },
    users: { source: createReadStream(`${dir}users.csv`), ...(users === undefined ? {} : { kinds: users }) },
  });
  if (!loaded.ok) throw new Error(loaded.failure.message);
  return loaded.value.data;
}

describe('online retail (real data, 387k interactions)', () => {
  it('user-personalization, with and without metadata, beats popularity clearly on NDCG@10 and precision@10; popularity has the lowest coverage', async () => {
    const data = await loadDir('/work/shared/data/online-retail/', { DESCRIPTION: 'textual', PRICE: 'numeric' }, { COUNTRY: 'categorical' });
    expect(data.interactions.length).toBe(387_763);
    expect(data.items.size).toBe(3665);
    const { itemMetadata: _items, userMetadata: _users, ...bare } = data;
    // All 434 held-out users are evaluated (no sampling); one seed for all recipes, so the same users.
    const pop = evaluate({ recipe: 'aws-popularity-count', data: bare, seed: 1 });
    const sims = evaluate({ recipe: 'aws-sims', data: bare, seed: 1 });
    const up = evaluate({ recipe: 'aws-user-personalization-v2', data, seed: 1 });
    const upBare = evaluate({ recipe: 'aws-user-personalization-v2', data: bare, seed: 1 });
    expect(up.perUser).toHaveLength(434);
    for (const model of [up, upBare]) {
      expectClearMargin(model, pop, 'normalized_discounted_cumulative_gain_at_10', 1.25);
      expectClearMargin(model, pop, 'precision_at_10', 1.25);
      expect(pop.metrics.coverage).toBeLessThan(model.metrics.coverage);
    }
    expect(pop.metrics.coverage).toBeLessThan(sims.metrics.coverage);
    // The blend includes SIMS-style neighbours, and does better than SIMS alone.
    expect(up.metrics.normalized_discounted_cumulative_gain_at_10).toBeGreaterThan(sims.metrics.normalized_discounted_cumulative_gain_at_10);
    // Metadata (description, price, country) does not cost accuracy.
    expect(up.metrics.normalized_discounted_cumulative_gain_at_10).toBeGreaterThanOrEqual(upBare.metrics.normalized_discounted_cumulative_gain_at_10);
  });
});

describe('example data (data/*.csv)', () => {
  it('user-personalization, with and without metadata, beats popularity by a clear margin on NDCG@10 and precision@10', async () => {
    const c = 'categorical' as const;
    const data = await loadDir(
      'data/',
      { CATEGORY_L1: c, CATEGORY_L2: c, BRAND: c, COLOR: c, STYLE: c, PRICE: 'numeric', CREATION_TIMESTAMP: 'numeric' },
      { AGE_GROUP: c, MEMBERSHIP: c, REGION: c },
    );
    const { itemMetadata: _items, userMetadata: _users, ...bare } = data;
    const pop = evaluate({ recipe: 'aws-popularity-count', data, seed: 1 });
    const up = evaluate({ recipe: 'aws-user-personalization', data, seed: 1 });
    const upBare = evaluate({ recipe: 'aws-user-personalization-v2', data: bare, seed: 1 });
    for (const model of [up, upBare]) {
      expectClearMargin(model, pop, 'normalized_discounted_cumulative_gain_at_10', 1.25);
      expectClearMargin(model, pop, 'precision_at_10', 1.25);
      expect(pop.metrics.coverage).toBeLessThan(model.metrics.coverage);
    }
    expect(up.metrics.normalized_discounted_cumulative_gain_at_10).toBeGreaterThanOrEqual(upBare.metrics.normalized_discounted_cumulative_gain_at_10);
    // Same data and seed: the same model, byte for byte.
    const bytes = (): Buffer => {
      const trained = trainModel({ recipe: 'aws-user-personalization-v2', data, seed: 3 });
      if (!trained.ok) throw new Error(trained.failure.message);
      return serializeModel(trained.value);
    };
    expect(bytes().equals(bytes())).toBe(true);
    // Personalized ranking trains the same model: its evaluation is user-personalization's, reused.
    const started = performance.now();
    expect(evaluate({ recipe: 'aws-personalized-ranking', data, seed: 1 })).toBe(up);
    expect(performance.now() - started).toBeLessThan(50);
    expect(evaluate({ recipe: 'aws-personalized-ranking', data, seed: 2 })).not.toBe(up);
  });
});

describe('CSV loader', () => {
  it('reads Personalize CSVs with quoted fields, multi-values, optional columns and cold ids', async () => {
    const stream = (text: string): Readable => Readable.from([Buffer.from(text)]);
    const loaded = await loadCsvData({
      interactions: stream('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,i1,10,click,\nu1,i2,11,purchase,3.5\nu2,i1,x,click,\n'),
      items: { source: stream('ITEM_ID,GENRES,DESCRIPTION,PRICE\ni1,a|b,"soft, warm socks",2\ni3,b,"wool hat",\n'), kinds: { GENRES: 'categorical', DESCRIPTION: 'textual' } },
    });
    if (!loaded.ok) throw new Error(loaded.failure.message);
    const { data, skippedRecords } = loaded.value;
    expect(skippedRecords).toBe(1);
    expect(data.interactions.length).toBe(2);
    expect(Array.from(data.interactions.eventValue)).toEqual([NaN, 3.5]);
    expect(data.items.toArray()).toEqual(['i1', 'i2', 'i3']);
    const [genres, description, price] = data.itemMetadata?.columns ?? [];
    expect(genres?.kind === 'categorical' ? genres.values.toArray() : []).toEqual(['a', 'b']);
    expect(description?.kind === 'textual' ? description.values.toArray() : []).toEqual(['soft', 'warm', 'socks', 'wool', 'hat']);
    expect(price?.kind === 'numeric' ? Array.from(price.values) : []).toEqual([2, NaN]);
    const missing = await loadCsvData({ interactions: stream('USER_ID,ITEM\nu1,i1\n') });
    expect(missing.ok ? '' : missing.failure.message).toBe('Input CSV is missing the following columns:[ITEM_ID, TIMESTAMP].');
  });
});
