import type { Buffer } from 'node:buffer';
import { KEY_WORDS } from './byte-interner.ts';
import type { IdCounter } from './id-counter.ts';
import { InteractionsProfiler, NO_EVENT_TYPE, UNTRACKED_EVENT_TYPE } from './interactions-profiler.ts';
import { digits, isWord, PlainLineReader } from './plain-line-reader.ts';
import { checkTyped, type ColumnRule } from './value-rules.ts';

/** Per mapped CSV column: its rule and what the pass has counted so far. */
export interface ColumnState {
  readonly rule: ColumnRule;
  missing: number;
  readonly distinct: Set<string> | undefined;
}

/** Where the columns the profile needs are (-1 when absent), fixed once the header is read. */
export interface ColumnPositions {
  readonly userAt: number;
  readonly itemAt: number;
  readonly timeAt: number;
  readonly eventTypeAt: number;
  readonly eventValueAt: number;
  /** The id column of an ITEMS or USERS file. */
  readonly idAt: number;
}

/** What the validator does with an accepted row besides counting it. */
export interface FastRowSink {
  /** Row `line` was read; `duplicateColumn` > 0 when its metadata id reached its second occurrence. */
  row(line: number, duplicateColumn: number, buf: Buffer, idStart: number, idEnd: number): void;
}

const SKIP = 0;
const STRING = 1;
const TIMESTAMP = 2;
const INT = 3;
const LONG = 4;
const DECIMAL = 5;
const BOOLEAN = 6;
const KINDS = { string: STRING, timestamp: TIMESTAMP, int: INT, long: LONG, float: DECIMAL, double: DECIMAL, boolean: BOOLEAN } as const;

/** Rows counted together; their id lookups overlap in memory. */
const BATCH = 64;
/**
 * Int32 words per batched row: kind, the user (or metadata id) range, the item range (or line
 * start), event type, and the user's and item's digit-key values (-1: hashed instead).
 */
const ROW = 8;
const KIND = 0;
const A = 1;
const B = 3;
const TYPE = 5;
const USER_DIGITS = 6;
const ITEM_DIGITS = 7;
const PLAIN = 0;
const PROFILED = 1;
const METADATA = 2;
/** Event types remembered by their bytes (see `eventType`), each up to TYPE_BYTES long. */
const KNOWN_TYPES = 8;
const TYPE_BYTES = 32;
const INT_MAX = 2147483647;
/** Epoch seconds at or above this are another unit (see `classifyTimestamp`). */
const SECONDS_MAX = 1e10;

/**
 * The validator's byte-level path for the common line: a plain line (see `PlainLineReader`)
 * whose every value the general path accepts without a finding. Such a line is checked straight
 * from the chunk's bytes (integers parsed in place, no string per field) and queued; `flush` then
 * counts the queued rows in order, with their ids interned by their bytes and the id-table reads
 * of the whole batch started together. Any other line is declined before anything is counted,
 * and the general path (parser, `checkTyped`, `classifyTimestamp`, the finding sink) handles it;
 * that is what keeps the two paths' findings, profile and ids equal.
 */
export class FastRows extends PlainLineReader {
  private readonly kinds: Uint8Array;
  private readonly maxLength: Float64Array;
  private readonly nullable: Uint8Array;
  private readonly hasDistinct: boolean;
  private readonly knownTypes = new Uint8Array(KNOWN_TYPES * TYPE_BYTES);
  private readonly knownTypeLength = new Int32Array(KNOWN_TYPES);
  private readonly knownTypeIndex = new Int32Array(KNOWN_TYPES);
  private knownTypeCount = 0;
  // The batch of accepted rows not yet counted (see `flush`), all from `batchBuf`.
  private batched = 0;
  /** Keys of the batch hashed (not digit keys): their slots are worth touching ahead. */
  private hashed = 0;
  private batchBuf: Buffer | undefined;
  private readonly rowData = new Int32Array(BATCH * ROW);
  /** Per batched row: line, epoch seconds (-1: none), event value (NaN: none). */
  private readonly rowNumbers = new Float64Array(BATCH * 3);
  private readonly keys = new Int32Array(BATCH * 2 * KEY_WORDS);
  /** Sum of the slot reads of the last batch; kept so the reads are not optimised away. */
  touched = 0;

  constructor(
    private readonly columns: readonly (ColumnState | undefined)[],
    private readonly at: ColumnPositions,
    private readonly now: number,
    private readonly distinctCap: number,
    private readonly profiler: InteractionsProfiler | undefined,
    private readonly metadataIds: IdCounter | undefined,
    private readonly sink: FastRowSink,
  ) {
    super(columns.length);
    this.kinds = Uint8Array.from(columns, (c) => (c === undefined ? SKIP : KINDS[c.rule.kind]));
    this.maxLength = Float64Array.from(columns, (c) => c?.rule.maxLength ?? 0);
    this.nullable = Uint8Array.from(columns, (c) => (c?.rule.nullable === true ? 1 : 0));
    this.hasDistinct = columns.some((c) => c?.distinct !== undefined);
  }

  /** Checks every value, then counts the row; declines (returns false) before counting anything. */
  protected take(buf: Buffer, start: number, line: number): boolean {
    const { kinds, ends, width } = this;
    let seconds = -1;
    let empty = false;
    let s = start;
    for (let j = 0; j < width; s = (ends[j] as number) + 1, j += 1) {
      const kind = kinds[j] as number;
      if (kind === SKIP) continue;
      const e = ends[j] as number;
      const len = e - s;
      if (len === 0) {
        if (this.nullable[j] === 0) return false;
        empty = true;
        continue;
      }
      if (len > (this.maxLength[j] as number)) return false;
      if (kind === STRING) continue;
      if (kind === TIMESTAMP) {
        const v = digits(buf, s, e);
        if (v < 0 || v >= SECONDS_MAX || v > this.now + 86_400) return false;
        if (j === this.at.timeAt) seconds = v;
      } else if (kind === INT || kind === LONG) {
        const neg = buf[s] === 45 ? 1 : 0;
        if (len === neg) return false;
        const v = digits(buf, s + neg, e);
        if (v < 0 || (kind === INT ? v > INT_MAX : len >= 19)) return false;
      } else if (kind === BOOLEAN) {
        if (!isWord(buf, s, len, 'true') && !isWord(buf, s, len, 'false')) return false;
      } else {
        const rule = (this.columns[j] as ColumnState).rule;
        if (checkTyped(rule.kind as 'float' | 'double', buf.toString('latin1', s, e), rule.field.name) !== undefined) return false;
      }
    }
    const { userAt, itemAt, eventTypeAt } = this.at;
    const profiler = this.profiler;
    const profiled = profiler !== undefined && userAt >= 0 && itemAt >= 0 && this.length(userAt, start) > 0 && this.length(itemAt, start) > 0;
    let type = NO_EVENT_TYPE;
    if (profiled && eventTypeAt >= 0) {
      type = this.eventType(profiler, buf, this.startOf(eventTypeAt, start), ends[eventTypeAt] as number);
      if (type === UNTRACKED_EVENT_TYPE) return false;
    }

    if (empty || this.hasDistinct) this.countValues(buf, start);
    this.queue(buf, start, line, profiled, seconds, type);
    return true;
  }

  /**
   * Counts the batched rows in order: their ids' slots are read first in one tight loop, so the
   * cache misses of the whole batch overlap, then each row is looked up and profiled. Must run
   * before anything else (the parser, the finding sink) sees a later line.
   */
  flush(): void {
    const n = this.batched;
    if (n === 0) return;
    this.batched = 0;
    const hashed = this.hashed;
    this.hashed = 0;
    const buf = this.batchBuf as Buffer;
    const { rowData, rowNumbers, keys } = this;
    const users = this.profiler?.users.table;
    const items = this.profiler?.items.table;
    const ids = this.metadataIds?.table;
    // Rows that are not profiled (or have no metadata id) left stale hashes: touching them is harmless.
    if (hashed > 0 && users !== undefined && items !== undefined) this.touched = users.touch(keys, 0, 2 * KEY_WORDS, n) + items.touch(keys, KEY_WORDS, 2 * KEY_WORDS, n);
    else if (ids !== undefined) this.touched = ids.touch(keys, 0, 2 * KEY_WORDS, n);
    for (let r = 0; r < n; r += 1) {
      const d = r * ROW;
      const kind = rowData[d + KIND];
      const line = rowNumbers[r * 3] as number;
      if (kind === PROFILED && users !== undefined && items !== undefined && this.profiler !== undefined) {
        const ud = rowData[d + USER_DIGITS] as number;
        const id = rowData[d + ITEM_DIGITS] as number;
        const u = ud >= 0 ? users.addDigitKey(ud, buf, rowData[d + A] as number, rowData[d + A + 1] as number) : users.addKey(buf, rowData[d + A] as number, rowData[d + A + 1] as number, keys, r * 2 * KEY_WORDS);
        const it = id >= 0 ? items.addDigitKey(id, buf, rowData[d + B] as number, rowData[d + B + 1] as number) : items.addKey(buf, rowData[d + B] as number, rowData[d + B + 1] as number, keys, (r * 2 + 1) * KEY_WORDS);
        const seconds = rowNumbers[r * 3 + 1] as number;
        this.profiler.addInterned(u, it, seconds >= 0 ? seconds : undefined, rowData[d + TYPE] as number, undefined, rowNumbers[r * 3 + 2] as number);
        this.sink.row(line, 0, buf, 0, 0);
      } else if (kind === METADATA && ids !== undefined) {
        const from = rowData[d + A] as number;
        const to = rowData[d + A + 1] as number;
        const i = ids.addKey(buf, from, to, keys, r * 2 * KEY_WORDS);
        this.sink.row(line, ids.countAt(i) === 2 ? from - (rowData[d + B] as number) + 1 : 0, buf, from, to);
      } else this.sink.row(line, 0, buf, 0, 0);
    }
  }

  /** Adds an accepted row to the batch, hashing the ids it will count, or counts it at once when nothing is gained by waiting. */
  private queue(buf: Buffer, start: number, line: number, profiled: boolean, seconds: number, type: number): void {
    if (this.batchBuf !== buf) {
      this.flush();
      this.batchBuf = buf;
    }
    const r = this.batched;
    const d = r * ROW;
    const { rowData, rowNumbers, keys, ends } = this;
    const { userAt, itemAt, eventValueAt, idAt } = this.at;
    rowNumbers[r * 3] = line;
    rowData[d + KIND] = PLAIN;
    if (profiled) {
      const us = this.startOf(userAt, start);
      const ue = ends[userAt] as number;
      const is = this.startOf(itemAt, start);
      const ie = ends[itemAt] as number;
      const value = eventValueAt >= 0 && this.length(eventValueAt, start) > 0 ? Number(buf.toString('latin1', this.startOf(eventValueAt, start), ends[eventValueAt] as number)) : Number.NaN;
      const profiler = this.profiler as InteractionsProfiler;
      const users = profiler.users.table;
      const items = profiler.items.table;
      const ud = users.digitValue(buf, us, ue);
      const id = items.digitValue(buf, is, ie);
      if (ud >= 0 && id >= 0 && r === 0) {
        // Neither id needs a hashed slot read and no row waits in the batch: count it now, in order.
        profiler.addInterned(users.addDigitKey(ud, buf, us, ue), items.addDigitKey(id, buf, is, ie), seconds >= 0 ? seconds : undefined, type, undefined, value);
        this.sink.row(line, 0, buf, 0, 0);
        return;
      }
      rowData[d + KIND] = PROFILED;
      rowData[d + A] = us;
      rowData[d + A + 1] = ue;
      rowData[d + B] = is;
      rowData[d + B + 1] = ie;
      rowData[d + TYPE] = type;
      rowData[d + USER_DIGITS] = ud;
      rowData[d + ITEM_DIGITS] = id;
      rowNumbers[r * 3 + 1] = seconds;
      rowNumbers[r * 3 + 2] = value;
      if (ud < 0) users.hashKey(buf, us, ue, keys, r * 2 * KEY_WORDS);
      if (id < 0) items.hashKey(buf, is, ie, keys, (r * 2 + 1) * KEY_WORDS);
      if (ud < 0 || id < 0) this.hashed += 1;
    } else if (this.metadataIds !== undefined && idAt >= 0 && this.length(idAt, start) > 0) {
      const from = this.startOf(idAt, start);
      rowData[d + KIND] = METADATA;
      rowData[d + A] = from;
      rowData[d + A + 1] = ends[idAt] as number;
      rowData[d + B] = start;
      this.metadataIds.table.hashKey(buf, from, ends[idAt] as number, keys, r * 2 * KEY_WORDS);
    }
    this.batched = r + 1;
    if (this.batched === BATCH) this.flush();
  }

  /** Missing values and categorical distinct values, for rows that have either. */
  private countValues(buf: Buffer, start: number): void {
    let s = start;
    for (let j = 0; j < this.width; s = (this.ends[j] as number) + 1, j += 1) {
      const c = this.columns[j];
      if (c === undefined) continue;
      const e = this.ends[j] as number;
      if (e === s) c.missing += 1;
      else if (c.distinct !== undefined && c.distinct.size < this.distinctCap) c.distinct.add(buf.toString('latin1', s, e));
    }
  }

  /**
   * The event type's index. A file has a handful of types, so the last few are compared byte by
   * byte before the profiler's table is asked (hashing costs more than the comparison).
   */
  private eventType(profiler: InteractionsProfiler, buf: Buffer, s: number, e: number): number {
    const len = e - s;
    const known = this.knownTypes;
    for (let t = 0; t < this.knownTypeCount; t += 1) {
      const at = t * TYPE_BYTES;
      if (this.knownTypeLength[t] !== len) continue;
      let k = 0;
      while (k < len && buf[s + k] === known[at + k]) k += 1;
      if (k === len) return this.knownTypeIndex[t] as number;
    }
    const type = profiler.eventTypeIndex(buf, s, e);
    if (type >= 0 && len <= TYPE_BYTES && this.knownTypeCount < KNOWN_TYPES) {
      const t = this.knownTypeCount;
      known.set(buf.subarray(s, e), t * TYPE_BYTES);
      this.knownTypeLength[t] = len;
      this.knownTypeIndex[t] = type;
      this.knownTypeCount = t + 1;
    }
    return type;
  }

  private length(j: number, start: number): number {
    return (this.ends[j] as number) - this.startOf(j, start);
  }
}
