import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DAY_SECONDS, HOURLY, categorySeason, conversionBoost, dayVolume } from './calendar.ts';
import { ITEM_COLUMNS, itemCsvRow, itemWeight, makeCatalog } from './catalog.ts';
import type { Item } from './catalog.ts';
import { CsvFileWriter } from './csv-writer.ts';
import { USER_COLUMNS, makePopulation, userCsvRow } from './population.ts';
import type { User } from './population.ts';
import { CumulativeSampler, Random } from './random.ts';
import { CATEGORIES, PRICE_TIERS } from './taxonomy.ts';

export interface RetailDataOptions {
  readonly users: number;
  readonly items: number;
  /** Exact number of interaction rows written. */
  readonly interactions: number;
  readonly seed: number;
  /** First day (UTC midnight is used); default 2024-06-01, so the period ends with Black Friday. */
  readonly start?: Date;
  /** Length of the period in days; default 183 (about six months). */
  readonly days?: number;
}

export type EventType = 'View' | 'AddToCart' | 'Purchase';
export const EVENT_TYPES: readonly EventType[] = ['View', 'AddToCart', 'Purchase'];
/** Index into EVENT_TYPES: rows carry a small number rather than a string until they are written. */
type EventIndex = 0 | 1 | 2;
const VIEW: EventIndex = 0;
const CART: EventIndex = 1;
const PURCHASE: EventIndex = 2;

export interface RetailDataResult {
  /** Absolute paths of the CSV files written. */
  readonly files: { readonly interactions: string; readonly items: string; readonly users: string };
  readonly counts: { readonly users: number; readonly items: number; readonly interactions: number; readonly events: Readonly<Record<EventType, number>> };
}

export const INTERACTION_COLUMNS = ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE'] as const;

const DEFAULT_START = new Date(Date.UTC(2024, 5, 1));
const DEFAULT_DAYS = 183;
/** Sessions that follow the user's own tastes; the rest follow what the shop promotes that day. */
const TASTE_SHARE = 0.85;
const CART_RATE = 0.18;
const PURCHASE_RATE = 0.42;

/**
 * Writes users.csv, items.csv and interactions.csv (Personalize's CSV layout) into `outDir`: the
 * same seed and options always give the same bytes. The shop it simulates has shopper personas
 * whose metadata (age group, membership, region) predicts their tastes over categories and price
 * tiers; Zipf-like item popularity with rising and fading items and product launches; a yearly
 * cycle per category, back-to-school and holiday peaks, weekends, a summer sale and Black Friday;
 * and sessions that run a View -> AddToCart -> Purchase funnel. Interactions are written in time
 * order, one simulated day at a time, so memory holds the users, the items and one day of rows.
 */
export async function generateRetailData(options: RetailDataOptions, outDir: string): Promise<RetailDataResult> {
  const { users: userCount, items: itemCount, interactions, seed } = options;
  const days = options.days ?? DEFAULT_DAYS;
  for (const [name, v, min] of [['users', userCount, 1], ['items', itemCount, 1], ['interactions', interactions, 0], ['days', days, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  }
  const startDate = options.start ?? DEFAULT_START;
  const start = Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth(), startDate.getUTCDate()) / 1000;
  const root = new Random(seed);
  const items = makeCatalog(root.fork(1), itemCount, start, days);
  const users = makePopulation(root.fork(2), userCount);
  const rng = root.fork(3);

  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const files = { interactions: join(dir, 'interactions.csv'), items: join(dir, 'items.csv'), users: join(dir, 'users.csv') };
  await writeAll(files.users, USER_COLUMNS, users, userCsvRow);
  await writeAll(files.items, ITEM_COLUMNS, items, itemCsvRow);

  const events = [0, 0, 0];
  const out = CsvFileWriter.open(files.interactions, INTERACTION_COLUMNS);
  const userSampler = new CumulativeSampler(users.map((u) => u.activity));
  const quotas = dailyQuotas(start, days, interactions);
  const byCategory = CATEGORIES.map((_, c) => items.filter((it) => it.category === c));
  const byShelf = byCategory.map((list) => PRICE_TIERS.map((_, t) => list.filter((it) => it.tier === t)));

  const day = new DayBuffer();
  for (let d = 0; d < days; d += 1) {
    const quota = quotas[d] ?? 0;
    if (quota === 0) continue;
    const dayStart = start + d * DAY_SECONDS;
    const model = new DayModel(dayStart, (d + 0.5) / days, items, byCategory, byShelf);
    day.reset(dayStart);
    while (day.size < quota) {
      const user = users[userSampler.draw(rng)];
      if (user === undefined) break;
      model.session(rng, user, (ts, item, type) => day.add(ts, `${user.id},${item.id},${ts},${EVENT_TYPES[type]}`, type));
    }
    day.writeSorted(out, quota, events);
    await out.drain();
  }
  await out.close();
  return { files, counts: { users: users.length, items: items.length, interactions, events: { View: events[VIEW] ?? 0, AddToCart: events[CART] ?? 0, Purchase: events[PURCHASE] ?? 0 } } };
}

async function writeAll<T>(path: string, columns: readonly string[], rows: readonly T[], toLine: (row: T) => string): Promise<void> {
  const w = CsvFileWriter.open(path, columns);
  for (const row of rows) {
    w.push(toLine(row));
    await w.drain();
  }
  await w.close();
}

/** Rows per day in proportion to each day's volume, summing exactly to `total` (largest remainder). */
function dailyQuotas(start: number, days: number, total: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => dayVolume(start + d * DAY_SECONDS, d, days));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    quotas[i] = (quotas[i] ?? 0) + 1;
    left -= 1;
  }
  return quotas;
}

/** What the shop looks like on one day: which items are live and how popular, what is in season. */
class DayModel {
  private readonly season: number[];
  private readonly promoted: number[];
  private readonly conversion: number;
  private readonly all: CumulativeSampler;
  private readonly categories: CumulativeSampler[];
  private readonly shelves: CumulativeSampler[][];
  private readonly end: number;
  private readonly scratch = new Array<number>(CATEGORIES.length).fill(0);

  constructor(
    private readonly dayStart: number,
    progress: number,
    private readonly items: readonly Item[],
    private readonly byCategory: readonly (readonly Item[])[],
    private readonly byShelf: readonly (readonly (readonly Item[])[])[],
  ) {
    const weight = (it: Item): number => itemWeight(it, dayStart, progress);
    this.season = categorySeason(dayStart);
    this.promoted = CATEGORIES.map((c, i) => c.share * (this.season[i] ?? 1));
    this.conversion = conversionBoost(dayStart);
    this.all = new CumulativeSampler(items.map(weight));
    this.categories = byCategory.map((list) => new CumulativeSampler(list.map(weight)));
    this.shelves = byShelf.map((tiers) => tiers.map((list) => new CumulativeSampler(list.map(weight))));
    this.end = dayStart + DAY_SECONDS - 1;
  }

  /** One visit: a few views in a category the user likes, some carted, some bought. */
  session(rng: Random, user: User, emit: (ts: number, item: Item, type: EventIndex) => void): void {
    let t = this.dayStart + rng.weighted(HOURLY) * 3600 + rng.int(3600);
    let category = this.pickCategory(rng, user);
    const views = Math.min(12, rng.geometric(3));
    for (let v = 0; v < views; v += 1) {
      if (v > 0 && rng.chance(0.15)) category = this.pickCategory(rng, user);
      const item = this.pickItem(rng, category, rng.weighted(user.tiers));
      if (item === undefined) return;
      emit(Math.min(t, this.end), item, VIEW);
      // Carting is likelier when the price tier suits the shopper and on sale days.
      const fit = 0.55 + 1.4 * (user.tiers[item.tier] ?? 0);
      if (rng.chance(Math.min(0.9, CART_RATE * fit * this.conversion))) {
        t += 20 + rng.int(180);
        emit(Math.min(t, this.end), item, CART);
        if (rng.chance(Math.min(0.95, PURCHASE_RATE * this.conversion))) {
          t += 30 + rng.int(600);
          emit(Math.min(t, this.end), item, PURCHASE);
        }
      }
      t += 15 + rng.int(165);
    }
  }

  private pickCategory(rng: Random, user: User): number {
    if (!rng.chance(TASTE_SHARE)) return rng.weighted(this.promoted);
    for (let c = 0; c < this.scratch.length; c += 1) this.scratch[c] = (user.tastes[c] ?? 0) * (this.season[c] ?? 1);
    return rng.weighted(this.scratch);
  }

  private pickItem(rng: Random, category: number, tier: number): Item | undefined {
    const shelf = this.byShelf[category]?.[tier];
    const fromShelf = shelf === undefined ? -1 : (this.shelves[category]?.[tier]?.draw(rng) ?? -1);
    if (fromShelf >= 0) return shelf?.[fromShelf];
    const fromCategory = this.categories[category]?.draw(rng) ?? -1;
    if (fromCategory >= 0) return this.byCategory[category]?.[fromCategory];
    const any = this.all.draw(rng);
    return any >= 0 ? this.items[any] : undefined;
  }
}

/**
 * One simulated day of rows, put in time order by a counting sort on the second of the day:
 * linear, stable (ties keep the order they were made in) and without a comparator call per row.
 */
class DayBuffer {
  private offsets = new Int32Array(1 << 16);
  private types = new Uint8Array(1 << 16);
  private lines: string[] = [];
  private readonly counts = new Int32Array(DAY_SECONDS + 1);
  private dayStart = 0;
  size = 0;

  reset(dayStart: number): void {
    this.dayStart = dayStart;
    this.size = 0;
    this.lines.length = 0;
  }

  add(ts: number, line: string, type: EventIndex): void {
    if (this.size === this.offsets.length) {
      const offsets = new Int32Array(this.size * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const types = new Uint8Array(this.size * 2);
      types.set(this.types);
      this.types = types;
    }
    this.offsets[this.size] = ts - this.dayStart;
    this.types[this.size] = type;
    this.lines.push(line);
    this.size += 1;
  }

  /** Writes the first `limit` rows made (the last session may overshoot the day's quota) in time order. */
  writeSorted(out: CsvFileWriter, limit: number, events: number[]): void {
    const n = Math.min(limit, this.size);
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i += 1) {
      const slot = (this.offsets[i] ?? 0) + 1;
      counts[slot] = (counts[slot] ?? 0) + 1;
    }
    for (let s = 1; s <= DAY_SECONDS; s += 1) counts[s] = (counts[s] ?? 0) + (counts[s - 1] ?? 0);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i += 1) {
      const slot = this.offsets[i] ?? 0;
      order[counts[slot] ?? 0] = i;
      counts[slot] = (counts[slot] ?? 0) + 1;
    }
    for (let k = 0; k < n; k += 1) {
      const i = order[k] ?? 0;
      out.push(this.lines[i] ?? '');
      const type = this.types[i] ?? 0;
      events[type] = (events[type] ?? 0) + 1;
    }
  }
}
