import type { Random } from './random.ts';
import { AGE_GROUPS, CATEGORIES, MEMBERSHIPS, PERSONAS, REGIONS } from './taxonomy.ts';

/** One shopper. Invariant: `tastes` sums to 1 over CATEGORIES; `tiers` sums to 1 over PRICE_TIERS. */
export interface User {
  readonly id: string;
  readonly persona: number;
  readonly ageGroup: number;
  readonly membership: number;
  readonly region: number;
  readonly tastes: readonly number[];
  readonly tiers: readonly number[];
  /** Relative number of sessions: a few heavy shoppers, many occasional ones. */
  readonly activity: number;
}

const MEMBERSHIP_ACTIVITY = [1, 1.6, 2.6];
/** Gold members lean to premium products, standard members to budget ones. */
const MEMBERSHIP_TIER_SHIFT = [
  [1.3, 1, 0.7],
  [1, 1.1, 1],
  [0.6, 1, 1.6],
];

function normalise(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => v / total);
}

export function makePopulation(rng: Random, count: number): User[] {
  const width = String(count).length + 1;
  const shares = PERSONAS.map((p) => p.share);
  const users: User[] = [];
  for (let i = 0; i < count; i += 1) {
    const persona = rng.weighted(shares);
    const p = PERSONAS[persona];
    if (p === undefined) throw new RangeError('persona index out of range');
    const membership = rng.weighted(p.memberships);
    const shift = MEMBERSHIP_TIER_SHIFT[membership] ?? [1, 1, 1];
    users.push({
      id: `U${String(i + 1).padStart(width, '0')}`,
      persona,
      ageGroup: rng.weighted(p.ages),
      membership,
      region: rng.weighted(p.regions),
      tastes: normalise(CATEGORIES.map((_, c) => (p.tastes[c] ?? 0) * Math.exp(0.45 * rng.normal()))),
      tiers: normalise(p.tiers.map((t, k) => t * (shift[k] ?? 1))),
      activity: Math.exp(1.1 * rng.normal()) * (MEMBERSHIP_ACTIVITY[membership] ?? 1),
    });
  }
  return users;
}

export function userCsvRow(user: User): string {
  return [user.id, AGE_GROUPS[user.ageGroup], MEMBERSHIPS[user.membership], REGIONS[user.region]].join(',');
}

export const USER_COLUMNS = ['USER_ID', 'AGE_GROUP', 'MEMBERSHIP', 'REGION'] as const;
