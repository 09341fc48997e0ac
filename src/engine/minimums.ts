import { selectRows } from './sparse.ts';
import type { EngineData, EngineFailure, EventFilter } from './types.ts';

export const MIN_INTERACTIONS = 1000;
export const MIN_USERS_WITH_TWO = 25;

/**
 * The service's minimum training data, with its documented failure texts. Kept apart from
 * {@link trainModel} so tests can train on tiny data; the emulator calls it before training.
 */
export function checkTrainingMinimums(data: EngineData, filter: EventFilter = {}): EngineFailure | undefined {
  const selected = selectRows(data, filter);
  if ('failure' in selected) return selected.failure;
  const rows = selected.rows;
  if (rows.length < MIN_INTERACTIONS) {
    const what = filter.eventType === undefined ? '' : ` after filtering by event type: ${filter.eventType}`;
    return { code: 'insufficient-data', message: `Create failed. Dataset has fewer than ${MIN_INTERACTIONS} interactions${what}.` };
  }
  const perUser = new Int32Array(data.users.size);
  for (const row of rows) perUser[data.interactions.user[row] as number] = (perUser[data.interactions.user[row] as number] as number) + 1;
  let users = 0;
  for (const n of perUser) if (n >= 2) users++;
  if (users < MIN_USERS_WITH_TWO) {
    return { code: 'insufficient-data', message: `Create failed. Dataset has fewer than ${MIN_USERS_WITH_TWO} users with at least 2 interactions each.` };
  }
  return undefined;
}
