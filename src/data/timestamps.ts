/**
 * How a TIMESTAMP value reads. Personalize wants Unix epoch seconds; the other kinds are the
 * usual mistakes, named so the message can say which one the user made.
 */
export type TimestampKind =
  | 'seconds'
  | 'milliseconds'
  | 'microseconds'
  | 'nanoseconds'
  | 'iso-date'
  | 'fractional'
  | 'before-1970'
  | 'future'
  | 'not-a-number';

/** Seconds below this many digits are plausible epoch seconds (up to year 2286). */
const SECONDS_MAX = 1e10;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads a TIMESTAMP cell; `seconds` is the value as epoch seconds when it can be derived. */
export function classifyTimestamp(value: string, nowSeconds: number): { kind: TimestampKind; seconds?: number } {
  let v = 0;
  const n = value.length;
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return { kind: 'not-a-number' };
  for (; i < n; i += 1) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return classifyOther(value);
    v = v * 10 + d;
  }
  if (value.charCodeAt(0) === 45) return { kind: 'before-1970', seconds: -v };
  if (v < SECONDS_MAX) return v > nowSeconds + 86_400 ? { kind: 'future', seconds: v } : { kind: 'seconds', seconds: v };
  if (v < 1e13) return { kind: 'milliseconds', seconds: Math.floor(v / 1e3) };
  if (v < 1e16) return { kind: 'microseconds', seconds: Math.floor(v / 1e6) };
  return { kind: 'nanoseconds', seconds: Math.floor(v / 1e9) };
}

function classifyOther(value: string): { kind: TimestampKind; seconds?: number } {
  if (ISO_DATE.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? { kind: 'iso-date' } : { kind: 'iso-date', seconds: Math.floor(ms / 1000) };
  }
  if (/^-?\d+\.\d+$/.test(value)) return { kind: 'fractional', seconds: Math.floor(Number(value)) };
  return { kind: 'not-a-number' };
}

export const TIMESTAMP_ADVICE: Readonly<Record<Exclude<TimestampKind, 'seconds'>, string>> = {
  milliseconds: 'looks like epoch milliseconds; divide by 1,000',
  microseconds: 'looks like epoch microseconds; divide by 1,000,000',
  nanoseconds: 'looks like epoch nanoseconds; divide by 1,000,000,000',
  'iso-date': 'is a date string; convert it to Unix epoch seconds',
  fractional: 'has a fraction; Personalize wants whole epoch seconds (long)',
  'before-1970': 'is before 1970 (negative); check the time zone or unit conversion',
  future: 'is in the future; check the clock or unit conversion',
  'not-a-number': 'is not a number; Personalize wants Unix epoch seconds',
};
