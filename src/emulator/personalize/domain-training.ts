import type { EngineData, EventFilter } from '../../engine/index.ts';

/**
 * How a domain use case prepares its data before the engine trains. Plain data, so it crosses the
 * worker boundary inside a TrainJob. `eventTypeAnyCase`: the use case's event type (`View`,
 * `Purchase`, `Watch`) matches the data's EVENT_TYPE values whatever their case, as the service
 * matches them. `recentDays`: train on the newest events only (trending-now).
 */
export interface DomainPreparation {
  readonly eventTypeAnyCase?: boolean;
  readonly recentDays?: number;
}

const DAY_SECONDS = 86_400;
/** A window never holds fewer events than the service's training minimum. */
const MIN_WINDOW_EVENTS = 1000;

/** The filter with its event type spelled as the data spells it, when the use case matches any case. */
export function domainFilter(data: EngineData, filter: EventFilter, domain: DomainPreparation | undefined): EventFilter {
  const wanted = filter.eventType;
  if (domain?.eventTypeAnyCase !== true || wanted === undefined) return filter;
  const spelled = data.eventTypes.toArray().find((t) => t.toLowerCase() === wanted.toLowerCase());
  return spelled === undefined ? filter : { ...filter, eventType: spelled };
}

/**
 * The data restricted to the newest `recentDays` before the newest event, widened to the newest
 * {@link MIN_WINDOW_EVENTS} events when the window holds fewer: what "trending now" ranks by.
 * Dictionaries and metadata stay whole, so every catalogue item remains a (cold) candidate.
 */
export function domainWindow(data: EngineData, domain: DomainPreparation | undefined): EngineData {
  const days = domain?.recentDays;
  const it = data.interactions;
  if (days === undefined || it.length === 0) return data;
  const sorted = Float64Array.from(it.timestamp).sort();
  const newest = sorted[sorted.length - 1] as number;
  const floor = sorted[Math.max(0, sorted.length - MIN_WINDOW_EVENTS)] as number;
  const cutoff = Math.min(newest - days * DAY_SECONDS, floor);
  const keep: number[] = [];
  for (let i = 0; i < it.length; i++) if ((it.timestamp[i] as number) >= cutoff) keep.push(i);
  if (keep.length === it.length) return data;
  const pick = <T extends Int32Array | Float64Array>(column: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    keep.forEach((row, j) => (out[j] = column[row] as number));
    return out;
  };
  return {
    ...data,
    interactions: {
      length: keep.length,
      user: pick(it.user, (n) => new Int32Array(n)),
      item: pick(it.item, (n) => new Int32Array(n)),
      timestamp: pick(it.timestamp, (n) => new Float64Array(n)),
      eventType: pick(it.eventType, (n) => new Int32Array(n)),
      eventValue: pick(it.eventValue, (n) => new Float64Array(n)),
    },
  };
}
