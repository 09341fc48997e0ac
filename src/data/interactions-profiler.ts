import { DenseCounts, IdCounter } from './id-counter.ts';
import { HeavyHitters, HyperLogLog, hash3 } from './sketches.ts';
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

/**
 * Accumulates the interactions profile row by row. Memory: two id maps (distinct users and
 * items), two 64 KB sketches, and per week a fixed-size heavy-hitter summary; nothing per row.
 */
export class InteractionsProfiler {
  readonly users = new IdCounter();
  readonly items = new IdCounter();
  private readonly events = new HyperLogLog();
  private readonly pairs = new HyperLogLog();
  private readonly eventTypes = new Map<string, number>();
  private readonly weeks = new Map<number, HeavyHitters>();
  private readonly filters: FilterState[];
  private rows = 0;
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;

  constructor(filters: readonly InteractionFilter[] = []) {
    this.filters = filters.map((filter) => ({ filter, interactions: 0, usersWithTwo: 0, perUser: new DenseCounts() }));
  }

  /** `timestamp` in epoch seconds when the row's value was valid; `eventValue` NaN when absent. */
  add(user: string, item: string, timestamp: number | undefined, eventType: string | undefined, eventValue: number): void {
    this.rows += 1;
    const u = this.users.add(user);
    const it = this.items.add(item);
    this.pairs.add(hash3(u, it, 0));
    this.events.add(hash3(u, it, timestamp ?? -1));
    if (timestamp !== undefined) {
      if (timestamp < this.first) this.first = timestamp;
      if (timestamp > this.last) this.last = timestamp;
      const w = Math.floor(timestamp / WEEK);
      let hh = this.weeks.get(w);
      if (hh === undefined && this.weeks.size < MAX_WEEKS) {
        hh = new HeavyHitters(HEAVY_HITTER_CAPACITY);
        this.weeks.set(w, hh);
      }
      hh?.add(it);
    }
    if (eventType !== undefined) {
      const c = this.eventTypes.get(eventType);
      if (c !== undefined) this.eventTypes.set(eventType, c + 1);
      else if (this.eventTypes.size < MAX_EVENT_TYPES) this.eventTypes.set(eventType, 1);
    }
    for (const f of this.filters) {
      if (f.filter.eventType !== undefined && f.filter.eventType !== eventType) continue;
      if (f.filter.eventValueThreshold !== undefined && !(eventValue >= f.filter.eventValueThreshold)) continue;
      f.interactions += 1;
      if (f.perUser.increment(u) === 2) f.usersWithTwo += 1;
    }
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
      eventTypes: [...this.eventTypes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 50).map(([type, count]) => ({ type, count })),
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
