import type { EngineData } from '../types.ts';

/**
 * Per user, the items they already took and a repeat score for each. Invariant: user u's entries
 * are `items[offsets[u] .. offsets[u+1])` with `scores` alongside, items ascending, each once.
 */
export interface RepeatScores {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

const DAY = 86400;

function decay(ageSeconds: number, halfLifeDays: number): number {
  return halfLifeDays === 0 ? 1 : Math.pow(0.5, ageSeconds / (halfLifeDays * DAY));
}

/**
 * Repeat consumption: retail customers rebuy. An item's score is `weight` times the user's share
 * of their own events that went to it, decayed by the age of its latest event relative to the
 * user's latest event. Using the share rather than the count keeps a long history from flooding
 * the list with one-off purchases, while a staple bought again and again still rises to the top.
 */
export function repeatScores(data: EngineData, rows: Int32Array, weight: number, halfLifeDays: number): RepeatScores {
  const it = data.interactions;
  const nUsers = data.users.size;
  const nItems = data.items.size;
  const offsets = new Int32Array(nUsers + 1);
  if (weight === 0) return { offsets, items: new Int32Array(0), scores: new Float32Array(0) };
  const byUser: number[][] = Array.from({ length: nUsers }, () => []);
  for (const row of rows) (byUser[it.user[row] as number] as number[]).push(row);
  const count = new Float64Array(nItems);
  const last = new Float64Array(nItems).fill(-Infinity);
  const items: number[] = [];
  const scores: number[] = [];
  byUser.forEach((userRows, u) => {
    let latest = -Infinity;
    const seen: number[] = [];
    for (const row of userRows) {
      const item = it.item[row] as number;
      const t = it.timestamp[row] as number;
      if (count[item] === 0) seen.push(item);
      count[item] = (count[item] as number) + 1;
      last[item] = Math.max(last[item] as number, t);
      latest = Math.max(latest, t);
    }
    seen.sort((a, b) => a - b);
    for (const item of seen) {
      items.push(item);
      scores.push((weight * (count[item] as number) * decay(latest - (last[item] as number), halfLifeDays)) / userRows.length);
      count[item] = 0;
      last[item] = -Infinity;
    }
    offsets[u + 1] = items.length;
  });
  return { offsets, items: Int32Array.from(items), scores: Float32Array.from(scores) };
}

/**
 * What is selling now: per item, its events decayed by their age relative to the newest training
 * event, scaled so the top item scores `weight`. Seasonal catalogues (gifts before Christmas)
 * move fast, and a user's next purchases follow the season as much as their own past.
 */
export function trendPrior(data: EngineData, rows: Int32Array, weight: number, halfLifeDays: number): Float64Array {
  const it = data.interactions;
  const prior = new Float64Array(data.items.size);
  if (weight === 0) return prior;
  let newest = -Infinity;
  for (const row of rows) newest = Math.max(newest, it.timestamp[row] as number);
  for (const row of rows) {
    const item = it.item[row] as number;
    prior[item] = (prior[item] as number) + decay(newest - (it.timestamp[row] as number), halfLifeDays);
  }
  let max = 0;
  for (const p of prior) max = Math.max(max, p);
  if (max > 0) for (let i = 0; i < prior.length; i++) prior[i] = ((prior[i] as number) * weight) / max;
  return prior;
}
