import type { EngineData } from './types.ts';

/**
 * Each user's distinct items, most recent first, at most `limit` of them. Invariant: user u's
 * items are `items[offsets[u] .. offsets[u+1])`, ordered by their latest interaction time
 * descending (ties: later interaction row first).
 */
export interface UserHistory {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

export function userHistory(data: EngineData, rows: Int32Array, limit: number): UserHistory {
  const it = data.interactions;
  const byUser: number[][] = Array.from({ length: data.users.size }, () => []);
  for (const row of rows) (byUser[it.user[row] as number] as number[]).push(row);
  const offsets = new Int32Array(data.users.size + 1);
  const items: number[] = [];
  byUser.forEach((userRows, u) => {
    userRows.sort((a, b) => (it.timestamp[b] as number) - (it.timestamp[a] as number) || b - a);
    const seen = new Set<number>();
    for (const row of userRows) {
      if (seen.size >= limit) break;
      const item = it.item[row] as number;
      if (seen.has(item)) continue;
      seen.add(item);
      items.push(item);
    }
    offsets[u + 1] = items.length;
  });
  return { offsets, items: Int32Array.from(items) };
}

/** The first (latest) `limit` items of each user's history. */
export function latestItems(history: UserHistory, limit: number): UserHistory {
  const users = history.offsets.length - 1;
  const offsets = new Int32Array(users + 1);
  const items: number[] = [];
  for (let u = 0; u < users; u++) {
    const start = history.offsets[u] as number;
    const end = Math.min(history.offsets[u + 1] as number, start + limit);
    for (let k = start; k < end; k++) items.push(history.items[k] as number);
    offsets[u + 1] = items.length;
  }
  return { offsets, items: Int32Array.from(items) };
}
