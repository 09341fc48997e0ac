import type { UserHistory } from '../user-history.ts';
import type { EngineData } from '../types.ts';

/**
 * Each item's nearest neighbours by co-occurrence. Invariant: item i's neighbours are
 * `items[offsets[i] .. offsets[i+1])` with `scores` alongside, best first.
 */
export interface ItemNeighbours {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

export interface NeighbourSettings {
  /** 0 ranks neighbours by raw co-occurrence; 1 divides fully by the neighbour's user count. */
  readonly popularity_discount_factor: number;
  /** Pairs seen together by fewer users are not neighbours. */
  readonly min_cointeraction_count: number;
  /** Neighbours kept per item. */
  readonly max_neighbours: number;
}

/**
 * Item-item co-occurrence over users' (capped) histories: two items are neighbours when the same
 * users took both; the score is the number of such users divided by the neighbour's user count
 * raised to `popularity_discount_factor`, so blockbusters do not neighbour everything. Capping
 * the histories bounds the cost at history length x interactions.
 */
export function itemNeighbours(data: EngineData, history: UserHistory, popularity: Float64Array, settings: NeighbourSettings): ItemNeighbours {
  const nItems = data.items.size;
  const userCount = new Float64Array(nItems);
  for (const item of history.items) userCount[item] = (userCount[item] as number) + 1;
  const start = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) start[i + 1] = (start[i] as number) + (userCount[i] as number);
  const cursor = start.slice(0, nItems);
  const itemUsers = new Int32Array(history.items.length);
  for (let u = 0; u < data.users.size; u++) {
    for (let k = history.offsets[u] as number; k < (history.offsets[u + 1] as number); k++) {
      const item = history.items[k] as number;
      itemUsers[cursor[item] as number] = u;
      cursor[item] = (cursor[item] as number) + 1;
    }
  }
  const co = new Float64Array(nItems);
  const score = new Float64Array(nItems);
  const touched: number[] = [];
  const offsets = new Int32Array(nItems + 1);
  const outItems: number[] = [];
  const outScores: number[] = [];
  for (let i = 0; i < nItems; i++) {
    for (let k = start[i] as number; k < (start[i + 1] as number); k++) {
      const u = itemUsers[k] as number;
      for (let m = history.offsets[u] as number; m < (history.offsets[u + 1] as number); m++) {
        const j = history.items[m] as number;
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j] = (co[j] as number) + 1;
      }
    }
    const candidates = touched.filter((j) => (co[j] as number) >= Math.max(1, settings.min_cointeraction_count));
    for (const j of candidates) score[j] = (co[j] as number) / Math.pow(userCount[j] as number, settings.popularity_discount_factor);
    candidates.sort((a, b) => (score[b] as number) - (score[a] as number) || (popularity[b] as number) - (popularity[a] as number) || a - b);
    for (const j of candidates.slice(0, settings.max_neighbours)) {
      outItems.push(j);
      outScores.push(score[j] as number);
    }
    for (const j of touched) co[j] = 0;
    touched.length = 0;
    offsets[i + 1] = outItems.length;
  }
  return { offsets, items: Int32Array.from(outItems), scores: Float32Array.from(outScores) };
}

/** Adds `weight` times each of `item`'s neighbour scores into the dense `scores`. */
export function addNeighbours(scores: Float64Array, neighbours: ItemNeighbours, item: number, weight: number): void {
  for (let k = neighbours.offsets[item] as number; k < (neighbours.offsets[item + 1] as number); k++) {
    const j = neighbours.items[k] as number;
    scores[j] = (scores[j] as number) + weight * (neighbours.scores[k] as number);
  }
}
