import { describe, expect, it } from 'vitest';
import { evaluateRecipe, evaluationSeed } from '../../src/engine/index.ts';
import type { EvaluateOptions, Evaluation } from '../../src/engine/index.ts';
import { dataOf } from './helpers.ts';

function evaluate(options: EvaluateOptions): Evaluation {
  const r = evaluateRecipe(options);
  if (!r.ok) throw new Error(r.failure.message);
  return r.value;
}

describe('evaluationSeed', () => {
  const events: [string, string, number, string][] = [];
  for (let u = 0; u < 60; u++) for (let t = 0; t < 20; t++) events.push([`u${u}`, `i${(u * 3 + t) % 40}`, 1000 + t, t % 4 === 0 ? 'Purchase' : 'View']);
  const data = dataOf(events);

  it('is the same for the same interactions, whatever metadata adds, and differs with the data or the filter', () => {
    const seed = evaluationSeed(data);
    expect(evaluationSeed(dataOf(events))).toBe(seed);
    // Metadata interns its extra users and items after the interactions: the split must not move.
    const withMetadata = dataOf(events, { items: { columns: ['GENRE'], rows: [['i0', 'a'], ['cold-item', 'b']] }, users: { columns: ['TIER'], rows: [['u1', 'x'], ['cold-user', 'y']] } });
    expect(evaluationSeed(withMetadata)).toBe(seed);
    expect(evaluationSeed(dataOf(events.slice(1)))).not.toBe(seed);
    expect(evaluationSeed(dataOf(events.map(([u, i, t, type]) => [u, i, t + 1, type] as const)))).not.toBe(seed);
    expect(evaluationSeed(data, { eventType: 'Purchase' })).not.toBe(seed);
    expect(evaluationSeed(data, { eventValueThreshold: 1 })).not.toBe(seed);
  });

  it('holds out the same users with the same truth for two recipes, and repeats their metrics', () => {
    const seed = evaluationSeed(data);
    const popularity = evaluate({ recipe: 'aws-popularity-count', data, seed });
    const personalized = evaluate({ recipe: 'aws-user-personalization', data, seed });
    expect(personalized.perUser.map((u) => [u.userId, u.relevant])).toEqual(popularity.perUser.map((u) => [u.userId, u.relevant]));
    expect(popularity.perUser.length).toBe(6);
    expect(evaluate({ recipe: 'aws-user-personalization', data: dataOf(events), seed: evaluationSeed(dataOf(events)) }).metrics).toEqual(personalized.metrics);
  });
});
