import { describe, expect, it } from 'vitest';
import { deserializeModel, serializeModel, trainModel } from '../../src/engine/index.ts';
import type { Model, TrainOptions } from '../../src/engine/index.ts';
import { dataOf } from './helpers.ts';

function train(options: TrainOptions): Model {
  const r = trainModel(options);
  if (!r.ok) throw new Error(r.failure.message);
  return r.value;
}

const ids = (recs: readonly { itemId: string }[]): string[] => recs.map((r) => r.itemId);

describe('popularity-count', () => {
  const data = dataOf([
    ['u1', 'A'], ['u2', 'A'], ['u3', 'A'], ['u1', 'B'], ['u2', 'B'], ['u3', 'C'],
  ]);
  const model = train({ recipe: 'aws-popularity-count', data });

  it('recommends the most interacted-with items to everyone, honouring exclusions', () => {
    expect(model.recommend('u1', 3)).toEqual([{ itemId: 'A', score: 3 }, { itemId: 'B', score: 2 }, { itemId: 'C', score: 1 }]);
    expect(ids(model.recommend('someone-new', 2))).toEqual(['A', 'B']);
    expect(ids(model.recommend('u1', 3, new Set(['A'])))).toEqual(['B', 'C']);
  });

  it('ranks a given list and puts unknown items last', () => {
    expect(ids(model.rank('u1', ['C', 'nope', 'A', 'B']))).toEqual(['A', 'B', 'C', 'nope']);
  });

  it('trains on the solution event type and value threshold only', () => {
    const typed = dataOf([
      ['u1', 'A', 1, 'click', 1], ['u2', 'A', 2, 'click', 1], ['u3', 'A', 3, 'click', 1],
      ['u1', 'B', 4, 'purchase', 5], ['u2', 'B', 5, 'purchase', 1], ['u3', 'C', 6, 'purchase', 9], ['u1', 'C', 7, 'purchase', 9], ['u2', 'C', 8, 'purchase', 9],
    ]);
    expect(ids(train({ recipe: 'aws-popularity-count', data: typed, filter: { eventType: 'purchase' } }).recommend('u1', 2))).toEqual(['C', 'B']);
    const valued = train({ recipe: 'aws-popularity-count', data: typed, filter: { eventValueThreshold: 5 } });
    // A's clicks have value 1, below the threshold: A is still in the catalogue, with no count.
    expect(valued.recommend('u1', 3)).toEqual([{ itemId: 'C', score: 3 }, { itemId: 'B', score: 1 }, { itemId: 'A', score: 0 }]);
    const none = trainModel({ recipe: 'aws-popularity-count', data: typed, filter: { eventType: 'watch' } });
    expect(none.ok ? 'trained' : none.failure.code).toBe('no-interactions');
  });
});

describe('SIMS co-occurrence', () => {
  const data = dataOf([
    ['u1', 'A'], ['u1', 'B'], ['u2', 'A'], ['u2', 'B'], ['u3', 'A'], ['u3', 'C'], ['u4', 'D'], ['u5', 'D'], ['u6', 'D'],
  ]);

  it('finds the items most often taken together, discounted by popularity', () => {
    const raw = train({ recipe: 'aws-sims', data, params: { min_cointeraction_count: '1', popularity_discount_factor: '0' } });
    expect(raw.relatedItems('A', 2)).toEqual([{ itemId: 'B', score: 2 }, { itemId: 'C', score: 1 }]);
    expect(raw.relatedItems('D', 1)[0]?.itemId).not.toBe('D');
    // Fully discounted, B (2 of 2 users) and C (1 of 1) are equally specific to A.
    const discounted = train({ recipe: 'aws-similar-items', data, params: { min_cointeraction_count: '1', popularity_discount_factor: '1' } });
    expect(discounted.relatedItems('A', 2).map((r) => r.score)).toEqual([1, 1]);
    // The default minimum of 3 co-interactions leaves A without neighbours: popularity fills in.
    expect(ids(train({ recipe: 'aws-sims', data }).relatedItems('A', 2))).toEqual(['D', 'B']);
  });

  it("recommends the neighbours of a user's latest items", () => {
    const model = train({ recipe: 'aws-sims', data, params: { min_cointeraction_count: '1', popularity_discount_factor: '0' } });
    expect(model.recommend('u3', 1)[0]?.itemId).toBe('A');
    expect(ids(model.recommend('u1', 2))).toEqual(['A', 'B']);
  });

  it('rejects invalid hyperparameters, naming each', () => {
    const r = trainModel({ recipe: 'aws-sims', data, params: { popularity_discount_factor: '2', min_cointeraction_count: 'x' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.message).toMatch(/popularity_discount_factor.*min_cointeraction_count/);
  });
});

/** Inverse by Gauss-Jordan with partial pivoting: independent of the engine's Cholesky path. */
function inverse(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    a[c] = a[c]!.map((v) => v / piv);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      a[r] = a[r]!.map((v, j) => v - f * a[c]![j]!);
    }
  }
  return a.map((row) => row.slice(n));
}

describe('user-personalization (EASE)', () => {
  const events: [string, string][] = [['u1', 'i1'], ['u1', 'i2'], ['u2', 'i2'], ['u2', 'i3'], ['u3', 'i1'], ['u3', 'i3'], ['u3', 'i4'], ['u4', 'i4']];
  const data = dataOf(events);
  // Pure EASE: the repeat and trend signals off, history unweighted.
  const params = { l2_regularization: '1', recency_half_life_days: '0', repeat_weight: '0', trend_weight: '0' };

  it('matches B = I - P diag(1/diag P), P = (XᵀX + λI)⁻¹, on a 4 x 4 matrix', () => {
    const items = ['i1', 'i2', 'i3', 'i4'];
    const x = ['u1', 'u2', 'u3', 'u4'].map((u) => items.map((i) => (events.some(([eu, ei]) => eu === u && ei === i) ? 1 : 0)));
    const g = items.map((_, a) => items.map((_, b) => x.reduce((s, row) => s + row[a]! * row[b]!, 0) + (a === b ? 1 : 0)));
    const p = inverse(g);
    const b = p.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / p[j]![j]!)));
    const model = train({ recipe: 'aws-user-personalization', data, params });
    items.forEach((item, i) => {
      for (const rec of model.relatedItems(item, 3)) expect(rec.score).toBeCloseTo(b[i]![items.indexOf(rec.itemId)]!, 6);
    });
    // A user's scores are the sum of the B rows of their items (u1 has i1 and i2), scaled so the best is 1.
    const sums = items.map((_, j) => b[0]![j]! + b[1]![j]!);
    const best = Math.max(...sums);
    for (const rec of model.recommend('u1', 4)) expect(rec.score).toBeCloseTo(sums[items.indexOf(rec.itemId)]! / best, 6);
  });

  it('is deterministic and survives serialization byte for byte', () => {
    for (const recipe of ['aws-popularity-count', 'aws-sims', 'aws-user-personalization-v2', 'aws-personalized-ranking'] as const) {
      const one = serializeModel(train({ recipe, data, params, seed: 7 }));
      const two = serializeModel(train({ recipe, data, params, seed: 7 }));
      expect(one.equals(two)).toBe(true);
      const back = deserializeModel(one);
      if (!back.ok) throw new Error(back.failure.message);
      const original = train({ recipe, data, params, seed: 7 });
      expect(back.value.recommend('u3', 4)).toEqual(original.recommend('u3', 4));
      expect(back.value.rank('u2', ['i4', 'i1', 'zz'])).toEqual(original.rank('u2', ['i4', 'i1', 'zz']));
      expect(serializeModel(back.value).equals(one)).toBe(true);
    }
    const broken = deserializeModel(Buffer.from('nonsense'));
    expect(broken.ok ? 'ok' : broken.failure.code).toBe('corrupt-model');
  });

  it('personalized ranking orders a given list by the user-personalization scores', () => {
    const up = train({ recipe: 'aws-user-personalization', data, params });
    const ranking = train({ recipe: 'aws-personalized-ranking-v2', data, params });
    const expected = up.recommend('u2', 4).map((r) => r.itemId);
    expect(ids(ranking.rank('u2', ['i4', 'i3', 'i2', 'i1']))).toEqual(expected);
  });

  it("puts a user's staple purchases first, and what sells now ahead of what sold long ago", () => {
    const day = 86400;
    const events: [string, string, number][] = [];
    // Everyone once bought 'old' in bulk, long ago; 'new' sells now. u0 rebuys 'tea' every week, 20 times.
    for (let u = 0; u < 20; u++) {
      for (let k = 0; k < 5; k++) events.push([`u${u}`, 'old', k]);
      events.push([`u${u}`, 'new', 400 * day + u], [`u${u}`, `x${u % 4}`, 300 * day]);
    }
    for (let w = 0; w < 20; w++) events.push(['u0', 'tea', 250 * day + w * 7 * day]);
    const shop = dataOf(events);
    const model = train({ recipe: 'aws-user-personalization', data: shop });
    expect(model.recommend('u0', 1)[0]?.itemId).toBe('tea');
    // EASE alone links 'new' buyers to 'old' (everyone has both); a strong trend puts 'new' ahead.
    const u1 = ids(train({ recipe: 'aws-user-personalization', data: shop, params: { trend_weight: '10' } }).recommend('u1', 10));
    expect(u1.indexOf('new')).toBeLessThan(u1.indexOf('old'));
    const u1Plain = ids(train({ recipe: 'aws-user-personalization', data: shop, params: { trend_weight: '0' } }).recommend('u1', 10));
    expect(u1Plain.indexOf('old')).toBeLessThan(u1Plain.indexOf('new'));
    const plain = train({ recipe: 'aws-user-personalization', data: shop, params: { repeat_weight: '0', trend_weight: '0', neighbour_weight: '0' } });
    expect(plain.recommend('u0', 1)[0]?.itemId).not.toBe('tea');
  });

  it("recommends the items bought with the user's latest ones, even beyond EASE's max_items", () => {
    const events: [string, string, number][] = [];
    // A and B are the bestsellers; C and D are bought together by four users; 'fan' bought C only.
    for (let u = 0; u < 12; u++) events.push([`u${u}`, 'A', 1], [`u${u}`, 'B', 2]);
    for (let u = 0; u < 4; u++) events.push([`cd${u}`, 'C', 3], [`cd${u}`, 'D', 4]);
    events.push(['fan', 'C', 6]);
    const shop = dataOf(events);
    const only = { ...params, max_items: '2' };
    const blended = train({ recipe: 'aws-user-personalization', data: shop, params: { ...only, neighbour_weight: '1.5' } });
    expect(ids(blended.recommend('fan', 1))).toEqual(['D']);
    // EASE alone scores only the two kept bestsellers, so D is out of its reach.
    expect(ids(train({ recipe: 'aws-user-personalization', data: shop, params: { ...only, neighbour_weight: '0' } }).recommend('fan', 2))).toEqual(['A', 'B']);
    // Fewer than three shared buyers (min co-occurrence) make no neighbours.
    const sparse = dataOf(events.filter(([u]) => u !== 'cd0' && u !== 'cd1'));
    expect(ids(train({ recipe: 'aws-user-personalization', data: sparse, params: { ...only, neighbour_weight: '1.5' } }).recommend('fan', 2))).toEqual(['A', 'B']);
  });

  it('loads a model written before the neighbour signal and ranks as it did', () => {
    const plain = train({ recipe: 'aws-user-personalization', data, params: { ...params, neighbour_weight: '0' } });
    const bytes = serializeModel(plain);
    // Rewrite the file as the previous release wrote it: no neighbour settings or arrays.
    const length = bytes.readUInt32LE(4);
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as { settings: Record<string, number>; arrays: { name: string; type: string; length: number; offset: number }[] };
    const start = Math.ceil((8 + length) / 8) * 8;
    const kept = header.arrays.filter((a) => !/^(neighbour|recent)/.test(a.name));
    const chunks: Buffer[] = [];
    let offset = 0;
    const arrays = kept.map((a) => {
      const size = a.length * (a.type === 'f64' ? 8 : 4);
      const padded = Buffer.alloc(Math.ceil(size / 8) * 8);
      bytes.copy(padded, 0, start + a.offset, start + a.offset + size);
      chunks.push(padded);
      const entry = { ...a, offset };
      offset += padded.length;
      return entry;
    });
    const { neighbour_weight: _w, neighbour_recent_items: _r, ...settings } = header.settings;
    const json = Buffer.from(JSON.stringify({ ...header, settings, arrays }));
    const old = Buffer.concat([Buffer.from('PZE2'), Buffer.alloc(4), json, Buffer.alloc(Math.ceil((8 + json.length) / 8) * 8 - 8 - json.length), ...chunks]);
    old.writeUInt32LE(json.length, 4);
    const back = deserializeModel(old);
    if (!back.ok) throw new Error(back.failure.message);
    for (const user of ['u1', 'u2', 'u3', 'u4']) expect(back.value.recommend(user, 4)).toEqual(plain.recommend(user, 4));
  });

  it('uses item metadata: a cold item gets the affinity of items sharing its category', () => {
    const shop = dataOf(
      [['u1', 'mug'], ['u1', 'plate'], ['u2', 'mug'], ['u2', 'plate'], ['u3', 'sock'], ['u3', 'hat'], ['u4', 'sock'], ['u4', 'hat'], ['u5', 'mug']],
      { items: { columns: ['CATEGORY'], rows: [['mug', 'kitchen'], ['plate', 'kitchen'], ['bowl', 'kitchen'], ['sock', 'clothes'], ['hat', 'clothes'], ['scarf', 'clothes']] } },
    );
    const withMeta = train({ recipe: 'aws-user-personalization', data: shop, params: { ...params, item_metadata_weight: '1' } });
    const related = ids(withMeta.relatedItems('mug', 5));
    expect(related.indexOf('bowl')).toBeLessThan(related.indexOf('scarf'));
    const u5 = ids(withMeta.recommend('u5', 6));
    expect(u5.indexOf('bowl')).toBeLessThan(u5.indexOf('scarf'));
    const without = train({ recipe: 'aws-user-personalization', data: shop, params: { ...params, item_metadata_weight: '0' } });
    expect(without.relatedItems('mug', 5).find((r) => r.itemId === 'bowl')?.score ?? 0).toBeCloseTo(0, 12);
  });

  it('uses user metadata: a user with no history gets what people like them take', () => {
    const people = dataOf(
      [['fr1', 'cheese'], ['fr2', 'cheese'], ['uk1', 'tea'], ['uk2', 'tea'], ['uk3', 'tea'], ['uk4', 'tea']],
      { users: { columns: ['COUNTRY'], rows: [['fr1', 'FR'], ['fr2', 'FR'], ['uk1', 'UK'], ['uk2', 'UK'], ['uk3', 'UK'], ['uk4', 'UK'], ['fr-new', 'FR']] } },
    );
    expect(train({ recipe: 'aws-user-personalization', data: people, params }).recommend('fr-new', 1)[0]?.itemId).toBe('cheese');
    expect(train({ recipe: 'aws-user-personalization', data: people, params: { ...params, user_metadata_weight: '0' } }).recommend('fr-new', 1)[0]?.itemId).toBe('tea');
  });
});
