import { Buffer } from 'node:buffer';
import { ByteInterner } from './byte-interner.ts';
import { DenseCounts, IdCounter } from './id-counter.ts';
import { HeavyHitters, HyperLogLog, hashPair, hashThird } from './sketches.ts';
import type { CountQuantiles, FilterCount, InteractionFilter, InteractionsProfile, RetrainCadence, WeekCount } from './types.ts';

const WEEK = 7 * 86_400;
/** More distinct event types than this is a data problem in itself; stop tracking new ones. */
const MAX_EVENT_TYPES = 1000;
/** 100 years of weeks: a bound on the weekly histogram whatever the timestamps say. */
const MAX_WEEKS = 5200;
const TOP_ITEMS_PER_WEEK = 20;
/** Counters per week: top-20 ranks stay right while a top item has over 1/1000 of the week. */
const HEAVY_HITTER_CAPACITY = 1000;

interface FilterState {
  readonly filter: InteractionFilter;
  interactions: number;
  usersWithTwo: number;
  readonly perUser: DenseCounts;
}

/** `addInterned`'s event type when the file has no EVENT_TYPE column. */
export const NO_EVENT_TYPE = -1;
/** `eventTypeIndex` when a new type arrives after `MAX_EVENT_TYPES` are tracked. */
export const UNTRACKED_EVENT_TYPE = -2;

/**
 * Rows for `addRows`, filled by the caller: per row k, the ids' indexes in `users` and `items`,
 * the event type (from `eventTypeIndex`, or NO_EVENT_TYPE), epoch seconds (NaN: none) and the
 * event value (NaN: none). Typed arrays, so that a batch of rows crosses into the profiler in one
 * call and no number is boxed on the way.
 */
export class ProfiledRows {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly types: Int32Array;
  readonly seconds: Float64Array;
  readonly values: Float64Array;
  length = 0;

  constructor(readonly capacity: number) {
    this.users = new Int32Array(capacity);
    this.items = new Int32Array(capacity);
    this.types = new Int32Array(capacity);
    this.seconds = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }
}

/**
 * Accumulates the interactions profile row by row. Memory: two id tables (distinct users and
 * items), two 64 KB sketches, and per week a fixed-size heavy-hitter summary; nothing per row.
 * Rows come either as strings (`add`) or, from the byte-level path, already interned
 * (`addInterned`); both give the same profile.
 */
export class InteractionsProfiler {
  readonly users = new IdCounter();
  readonly items = new IdCounter();
  private readonly events = new HyperLogLog();
  private readonly pairs = new HyperLogLog();
  private readonly eventTypes = new ByteInterner();
  private typeCounts = new Int32Array(MAX_EVENT_TYPES);
  /** Per tracked event type and filter (type-major): 1 when the filter's event type is that type. */
  private readonly typeMatches: Uint8Array;
  /**
   * Per tracked event type: 1 when some filter may count a row of that type (it names the type or
   * none). Most rows are of a type no filter wants (views, when solutions train on purchases), and
   * one read here spares them the loop over the filters.
   */
  private readonly typeAdmitted = new Uint8Array(MAX_EVENT_TYPES);
  private readonly weeks = new Map<number, HeavyHitters>();
  private lastWeek = Number.NaN;
  private lastWeekHitters: HeavyHitters | undefined;
  /**
   * Seconds of `lastWeek` whose week needs no division: its start to one second before its end.
   * Within that range `Math.floor(t / WEEK)` is `lastWeek` for any t, fractional ones included.
   */
  private lastWeekFrom = Number.POSITIVE_INFINITY;
  private lastWeekTo = Number.NEGATIVE_INFINITY;
  private readonly filters: FilterState[];
  /** `addInterned`'s row, as a batch of one. */
  private readonly one = new ProfiledRows(1);
  /** Per batched row, its (user, item) and (user, item, seconds) hashes. */
  private pairHashes = new Int32Array(0);
  private eventHashes = new Int32Array(0);
  private rows = 0;
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;

  constructor(filters: readonly InteractionFilter[] = []) {
    this.filters = filters.map((filter) => ({ filter, interactions: 0, usersWithTwo: 0, perUser: new DenseCounts() }));
    this.typeMatches = new Uint8Array(MAX_EVENT_TYPES * Math.max(1, this.filters.length));
  }

  /** `timestamp` in epoch seconds when the row's value was valid; `eventValue` NaN when absent. */
  add(user: string, item: string, timestamp: number | undefined, eventType: string | undefined, eventValue: number): void {
    const type = eventType === undefined ? NO_EVENT_TYPE : this.track(this.eventTypes.lookupString(eventType), eventType);
    this.addInterned(this.users.add(user), this.items.add(item), timestamp, type, eventType, eventValue);
  }

  /**
   * The index of the event type `buf[start, end)`, tracking it when new; UNTRACKED_EVENT_TYPE when
   * it is new and `MAX_EVENT_TYPES` are already tracked (the caller then needs `add`).
   */
  eventTypeIndex(buf: Uint8Array, start: number, end: number): number {
    const i = this.eventTypes.lookup(buf, start, end);
    if (i >= 0 || this.eventTypes.size >= MAX_EVENT_TYPES) return i >= 0 ? i : UNTRACKED_EVENT_TYPE;
    return this.track(i, Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8'));
  }

  /**
   * One row with ids already counted in `users` and `items` (indexes `u`, `it`). `type` comes
   * from `eventTypeIndex` (or is NO_EVENT_TYPE); `typeText` is the type itself, needed only
   * when it is UNTRACKED_EVENT_TYPE.
   */
  addInterned(u: number, it: number, timestamp: number | undefined, type: number, typeText: string | undefined, eventValue: number): void {
    const one = this.one;
    one.users[0] = u;
    one.items[0] = it;
    one.types[0] = type;
    one.seconds[0] = timestamp ?? Number.NaN;
    one.values[0] = eventValue;
    one.length = 1;
    this.addRows(one, typeText);
  }

  /**
   * The rows of `batch` (see `ProfiledRows`), in order; `typeText` as for `addInterned`, for a
   * batch whose rows are all of that one untracked type. The sketches' hashes are made for the
   * whole batch first, so each sketch is then updated in one short loop.
   */
  addRows(batch: ProfiledRows, typeText?: string): void {
    const n = batch.length;
    const { users, items, types, seconds, values } = batch;
    if (this.pairHashes.length < n) {
      this.pairHashes = new Int32Array(batch.capacity);
      this.eventHashes = new Int32Array(batch.capacity);
    }
    const { pairHashes, eventHashes } = this;
    for (let k = 0; k < n; k += 1) {
      const pair = hashPair(users[k] as number, items[k] as number);
      const t = seconds[k] as number;
      pairHashes[k] = hashThird(pair, 0);
      eventHashes[k] = hashThird(pair, t === t ? t : -1);
    }
    this.pairs.addAll(pairHashes, n);
    this.events.addAll(eventHashes, n);
    this.rows += n;
    for (let k = 0; k < n; k += 1) {
      const timestamp = seconds[k] as number;
      const it = items[k] as number;
      if (timestamp === timestamp) {
        if (timestamp < this.first) this.first = timestamp;
        if (timestamp > this.last) this.last = timestamp;
        const hitters = timestamp >= this.lastWeekFrom && timestamp <= this.lastWeekTo ? this.lastWeekHitters : this.week(Math.floor(timestamp / WEEK));
        hitters?.add(it);
      }
      const type = types[k] as number;
      if (type >= 0) {
        this.typeCounts[type] = (this.typeCounts[type] as number) + 1;
        if (this.typeAdmitted[type] === 1) this.countFiltered(users[k] as number, type, typeText, values[k] as number);
      } else if (this.filters.length > 0) this.countFiltered(users[k] as number, type, typeText, values[k] as number);
    }
  }

  /** Counts the row for each filter that takes it (`addInterned`'s arguments). */
  private countFiltered(u: number, type: number, typeText: string | undefined, eventValue: number): void {
    const filters = this.filters;
    for (let k = 0; k < filters.length; k += 1) {
      const f = filters[k] as FilterState;
      const wanted = f.filter.eventType;
      if (wanted !== undefined && (type >= 0 ? this.typeMatches[type * filters.length + k] !== 1 : wanted !== typeText)) continue;
      if (f.filter.eventValueThreshold !== undefined && !(eventValue >= f.filter.eventValueThreshold)) continue;
      f.interactions += 1;
      if (f.perUser.increment(u) === 2) f.usersWithTwo += 1;
    }
  }

  /** Adds `text` as a tracked type unless `found` says it is one already or the cap is reached. */
  private track(found: number, text: string): number {
    if (found >= 0) return found;
    if (this.eventTypes.size >= MAX_EVENT_TYPES) return UNTRACKED_EVENT_TYPE;
    const i = this.eventTypes.internString(text);
    this.filters.forEach((f, k) => {
      if (f.filter.eventType === text) this.typeMatches[i * this.filters.length + k] = 1;
      if (f.filter.eventType === undefined || f.filter.eventType === text) this.typeAdmitted[i] = 1;
    });
    return i;
  }

  /** Rows are usually in time order, so the previous row's week is checked before the map. */
  private week(w: number): HeavyHitters | undefined {
    if (w === this.lastWeek) return this.lastWeekHitters;
    let hh = this.weeks.get(w);
    if (hh === undefined && this.weeks.size < MAX_WEEKS) {
      hh = new HeavyHitters(HEAVY_HITTER_CAPACITY);
      this.weeks.set(w, hh);
    }
    if (hh !== undefined) {
      this.lastWeek = w;
      this.lastWeekHitters = hh;
      this.lastWeekFrom = w * WEEK;
      this.lastWeekTo = (w + 1) * WEEK - 1;
    }
    return hh;
  }

  finish(): InteractionsProfile {
    const userCounts = this.users.countsArray().sort();
    const itemCounts = this.items.countsArray().sort();
    const rows = this.rows;
    const distinctPairs = Math.min(rows, this.pairs.estimate());
    const distinctEvents = Math.min(rows, this.events.estimate());
    const cells = this.users.size * this.items.size;
    const topK = Math.max(1, Math.ceil(itemCounts.length * 0.01));
    let topSum = 0;
    for (let k = 0; k < topK && k < itemCounts.length; k += 1) topSum += itemCounts[itemCounts.length - 1 - k] ?? 0;
    const weekly = this.weekly();
    const turnover = this.turnover();
    const slope = powerLawSlope(itemCounts);
    return {
      users: this.users.size,
      items: this.items.size,
      usersWithTwoInteractions: countAtLeast(userCounts, 2),
      ...(rows > 0 && Number.isFinite(this.first) ? { firstTimestamp: this.first, lastTimestamp: this.last } : {}),
      perUser: quantiles(userCounts),
      perItem: quantiles(itemCounts),
      eventTypes: this.eventTypeCounts().sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 50).map(([type, count]) => ({ type, count })),
      distinctEventTypes: this.eventTypes.size,
      sparsity: cells === 0 ? 1 : 1 - distinctPairs / cells,
      duplicateEventShare: rows === 0 ? 0 : 1 - distinctEvents / rows,
      repeatedPairShare: rows === 0 ? 0 : 1 - distinctPairs / rows,
      topItemShare: rows === 0 ? 0 : topSum / rows,
      ...(slope === undefined ? {} : { powerLawSlope: slope }),
      weekly,
      ...(turnover === undefined ? {} : { weeklyTopItemTurnover: turnover }),
      suggestedRetraining: cadence(turnover),
      filters: this.filters.map((f): FilterCount => ({ filter: f.filter, interactions: f.interactions, usersWithTwoInteractions: f.usersWithTwo })),
    };
  }

  private eventTypeCounts(): [string, number][] {
    return Array.from({ length: this.eventTypes.size }, (_, i): [string, number] => [this.eventTypes.key(i), this.typeCounts[i] ?? 0]);
  }

  private weekly(): WeekCount[] {
    const keys = [...this.weeks.keys()].sort((a, b) => a - b);
    const out: WeekCount[] = [];
    const firstWeek = keys[0];
    const lastWeek = keys[keys.length - 1];
    if (firstWeek === undefined || lastWeek === undefined) return out;
    for (let w = firstWeek; w <= lastWeek && out.length < MAX_WEEKS; w += 1) out.push({ start: w * WEEK, count: this.weeks.get(w)?.total ?? 0 });
    return out;
  }

  private turnover(): number | undefined {
    const keys = [...this.weeks.keys()].sort((a, b) => a - b);
    if (keys.length < 4) return undefined;
    let sum = 0;
    let pairs = 0;
    let prev: Set<number> | undefined;
    for (const k of keys) {
      const top = new Set(this.weeks.get(k)?.top(TOP_ITEMS_PER_WEEK) ?? []);
      if (prev !== undefined && prev.size > 0) {
        let kept = 0;
        for (const x of prev) if (top.has(x)) kept += 1;
        sum += 1 - kept / prev.size;
        pairs += 1;
      }
      prev = top;
    }
    return pairs === 0 ? undefined : sum / pairs;
  }
}

/**
 * Half the popular items replaced every week means a weekly model recommends last week's
 * favourites: retrain daily (or rely on the 2-hourly updates of User-Personalization). A fifth
 * is the usual weekly rhythm of retail; slower than that, monthly training is enough.
 */
function cadence(turnover: number | undefined): RetrainCadence {
  if (turnover === undefined) return 'unknown';
  if (turnover >= 0.5) return 'daily';
  if (turnover >= 0.2) return 'weekly';
  return 'monthly';
}

/** `sorted` ascending. */
function quantiles(sorted: Int32Array): CountQuantiles {
  const n = sorted.length;
  if (n === 0) return { min: 0, p25: 0, p50: 0, p75: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const q = (p: number): number => sorted[Math.min(n - 1, Math.floor(p * (n - 1) + 0.5))] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { min: sorted[0] ?? 0, p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9), p99: q(0.99), max: sorted[n - 1] ?? 0, mean: sum / n };
}

function countAtLeast(sorted: Int32Array, k: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < k) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** Slope of ln(count) on ln(rank), items ranked by popularity; undefined under 10 items. */
function powerLawSlope(ascending: Int32Array): number | undefined {
  const n = ascending.length;
  if (n < 10) return undefined;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let r = 1; r <= n; r += 1) {
    const x = Math.log(r);
    const y = Math.log(ascending[n - r] ?? 1);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? undefined : (n * sxy - sx * sy) / d;
}
