import { createHash, type Hash } from 'node:crypto';
import type { EngineData, EventFilter } from './types.ts';

/** The ids of indices 0..count-1, each ended by a NUL so that adjacent ids cannot run together. */
function hashIds(hash: Hash, ids: readonly string[], count: number): void {
  for (let i = 0; i < count; i++) hash.update(`${ids[i] ?? ''}\0`);
}

/** One past the largest index in `column` (0 when empty). */
function usedCount(column: Int32Array): number {
  let max = -1;
  for (const v of column) if (v > max) max = v;
  return max + 1;
}

/**
 * The seed of the offline evaluation split of a model trained on `data`'s interactions with
 * `filter`: a sha256 of the interaction rows (ids, timestamps, event types and values) and the
 * filter. It is a contract, not a detail: the emulator evaluates every solution version and
 * recommender with it, and `poc report --local` reproduces their per-user metrics with it, so
 * changing it changes every reported number.
 *
 * The service draws a split per version, so two versions of one solution, or two solutions on the
 * same data, are scored on different held-out users and their difference mixes model and sample.
 * Seeding from the data instead scores every model trained on the same interactions and filter
 * on the same held-out users and truth (also across dataset groups importing the same file), and
 * re-running gives the same numbers. That is fair: the held-out users are still a seeded random
 * 10% that no model chose or saw the truth of, and sharing them lets the report pair the
 * comparison user by user, which removes the sample's noise from the difference.
 *
 * Only the ids the interactions use are hashed: metadata files intern their extra users and
 * items after the interactions, and must not change the split of a group that has them.
 */
export function evaluationSeed(data: EngineData, filter: EventFilter = {}): number {
  const it = data.interactions;
  const hash = createHash('sha256');
  hash.update(JSON.stringify([it.length, filter.eventType ?? null, filter.eventValueThreshold ?? null]));
  for (const column of [it.user, it.item, it.timestamp, it.eventType, it.eventValue]) hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  hashIds(hash, data.users.toArray(), usedCount(it.user));
  hashIds(hash, data.items.toArray(), usedCount(it.item));
  hashIds(hash, data.eventTypes.toArray(), usedCount(it.eventType));
  return hash.digest().readUInt32LE(0);
}
