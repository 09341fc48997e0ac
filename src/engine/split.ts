import { createRng, shuffle } from './rng.ts';
import type { EngineData } from './types.ts';

/** Share of users held out, and of each held-out user's newest events kept as ground truth. */
export const HOLDOUT_USER_SHARE = 0.1;
export const HOLDOUT_EVENT_SHARE = 0.1;

/**
 * Personalize's offline split. Invariants: `train` and the truth rows are disjoint and together
 * are all the given rows; every held-out user has at least one truth row; `truth[k]` holds the
 * distinct items of `users[k]`'s newest 10% of events.
 */
export interface EvaluationSplit {
  readonly train: Int32Array;
  readonly users: Int32Array;
  readonly truth: readonly ReadonlySet<number>[];
}

/**
 * Holds out 10% of the users that have interactions (chosen by a seeded shuffle, so the same seed
 * holds out the same users; the order stays shuffled, so a prefix is a random sample). For each of them the oldest 90% of events is input and the newest
 * 10% (at least one event) is ground truth.
 *
 * The input part goes into the training rows. The service describes it as the input the model
 * sees for that user; our models read a user's history from what they were trained on (EASE and
 * SIMS look it up, a factor model needs it to have a user vector at all), so training on it is
 * how the input reaches the model. It also matches what a live campaign does: it knows the user's
 * past. The truth events are never trained on, so nothing leaks.
 */
export function splitForEvaluation(data: EngineData, rows: Int32Array, seed: number): EvaluationSplit {
  const it = data.interactions;
  const byUser = new Map<number, number[]>();
  for (const row of rows) {
    const u = it.user[row] as number;
    let list = byUser.get(u);
    if (list === undefined) byUser.set(u, (list = []));
    list.push(row);
  }
  const active = Int32Array.from([...byUser.keys()].sort((a, b) => a - b));
  shuffle(createRng(seed), active);
  const holdCount = Math.max(1, Math.round(active.length * HOLDOUT_USER_SHARE));
  const users = active.slice(0, holdCount);
  const truthRows = new Set<number>();
  const truth = Array.from(users, (u) => {
    const list = (byUser.get(u) as number[]).slice().sort((a, b) => (it.timestamp[a] as number) - (it.timestamp[b] as number) || a - b);
    const count = Math.max(1, Math.floor(list.length * HOLDOUT_EVENT_SHARE));
    const newest = list.slice(list.length - count);
    for (const row of newest) truthRows.add(row);
    return new Set(newest.map((row) => it.item[row] as number));
  });
  const train = rows.filter((row) => !truthRows.has(row));
  return { train, users, truth };
}
