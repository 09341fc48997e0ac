import type { Buffer } from 'node:buffer';
import { KEY_WORDS } from './byte-interner.ts';
import type { IdCounter } from './id-counter.ts';
import { InteractionsProfiler, NO_EVENT_TYPE, UNTRACKED_EVENT_TYPE } from './interactions-profiler.ts';
import { KnownEventTypes } from './known-event-types.ts';
import { digits, fourDigits, isWord, PlainLineReader } from './plain-line-reader.ts';
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
  /** Rows `first` to `last` (consecutive lines) were read, in order. */
  rows(first: number, last: number): void;
  /** Row `line`, already passed to `rows`, holds the second occurrence of its metadata id `buf[idStart, idEnd)` (1-based CSV column `column`). */
  duplicate(line: number, column: number, buf: Buffer, idStart: number, idEnd: number): void;
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
/** What `fixedRows` expects in each column (see there); NOT_FIXED: the file's columns do not allow it. */
const NOT_FIXED = 0;
const USER_KEY = 1;
const ITEM_KEY = 2;
const EPOCH = 3;
const KNOWN_TYPE = 4;
const COMMA = 44;
const LF = 10;
const CR = 13;
// An imported binding read per row showed up as a getter call in CPU profiles of tsx runs: copied once here.
const NO_TYPE = NO_EVENT_TYPE;
const INT_MAX = 2147483647;
/** Epoch seconds at or above this are another unit (see `classifyTimestamp`). */
const SECONDS_MAX = 1e10;

/**
 * The validator's byte-level path for the common line: a plain line (see `PlainLineReader`)
 * whose every value the general path accepts without a finding. Such a line is checked straight
 * from the chunk's bytes (integers parsed in place, no string per field) and queued; `flush` then
 * counts the queued rows in order, with their ids interned by their bytes and the id-table reads
 * of the whole batch started together. The usual interactions line skips the split: `fixedRows`
 * reads and checks it in one pass. Any other line is declined before anything is counted,
 * and the general path (parser, `checkTyped`, `classifyTimestamp`, the finding sink) handles it;
 * that is what keeps the two paths' findings, profile and ids equal.
 */
export class FastRows extends PlainLineReader {
  private readonly kinds: Uint8Array;
  private readonly maxLength: Float64Array;
  private readonly nullable: Uint8Array;
  private readonly hasDistinct: boolean;
  private readonly knownTypes = new KnownEventTypes();
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
  /** Per column, what `fixedRows` expects there; empty when it never applies. */
  private readonly fixed: Uint8Array;

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
    const fixed = this.kinds.map((kind, j) => (kind === TIMESTAMP ? EPOCH : kind !== STRING ? NOT_FIXED : j === at.userAt ? USER_KEY : j === at.itemAt ? ITEM_KEY : j === at.eventTypeAt ? KNOWN_TYPE : NOT_FIXED));
    const applies = profiler !== undefined && at.userAt >= 0 && at.itemAt >= 0 && !this.hasDistinct && !fixed.includes(NOT_FIXED);
    this.fixed = applies ? fixed : new Uint8Array(0);
  }

  override read(buf: Buffer, start: number, line: number): boolean {
    if (this.fixed.length > 0) {
      const end = this.fixedRows(buf, start, line);
      if (end >= 0) {
        this.lineEnd = end;
        return true;
      }
    }
    this.lines = 1;
    return super.read(buf, start, line);
  }

  /**
   * The usual interactions lines read in one pass each, without the general split: user and item
   * ids of their table's digit form, plain epoch seconds, an event type already seen
   * (`knownTypes`), and nothing else. Each value is parsed where it starts and must end at the
   * delimiter the line needs there, so the bytes read are exactly those `read` would split the
   * same way, and the checks are `take`'s for such values. Queues such lines from `start` on
   * (as `queueProfiled` would, written out here so that a row costs no call) until one is not
   * one or the batch is full, and returns the last one's LF (`lines` says how
   * many); returns -1 when the first line is not one, having counted nothing, and `read` decides.
   * A call takes at most a batch so that it stays short: V8 optimises a function called often
   * better than a long loop entered once per chunk.
   */
  private fixedRows(buf: Buffer, start: number, line: number): number {
    const { fixed, width, maxLength, rowData, rowNumbers } = this;
    const profiler = this.profiler as InteractionsProfiler;
    const users = profiler.users.table;
    const items = profiler.items.table;
    const userLength = users.digitKeyLength;
    const itemLength = items.digitKeyLength;
    const timeAt = this.at.timeAt;
    const latest = this.now + 86_400;
    const n = buf.length;
    if (this.batchBuf !== buf) {
      this.flush();
      this.batchBuf = buf;
    }
    let taken = 0;
    let end = -1;
    let p = start;
    rows: while (p < n) {
      let user = -1;
      let us = 0;
      let item = -1;
      let is = 0;
      let seconds = -1;
      let type = NO_TYPE;
      for (let j = 0; j < width; j += 1) {
        const s = p;
        const op = fixed[j];
        if (op === USER_KEY) {
          user = users.digitKeyAt(buf, s);
          if (user < 0) break rows;
          us = s;
          p = s + userLength;
        } else if (op === ITEM_KEY) {
          item = items.digitKeyAt(buf, s);
          if (item < 0) break rows;
          is = s;
          p = s + itemLength;
        } else if (op === EPOCH) {
          // Ten digits, the usual width, in three steps; the loop below reads any other width.
          let v = 0;
          if (s + 10 < n) {
            const high = fourDigits(buf, s);
            const mid = fourDigits(buf, s + 4);
            const d8 = (buf[s + 8] as number) - 48;
            const d9 = (buf[s + 9] as number) - 48;
            if (high >= 0 && mid >= 0 && d8 >>> 0 <= 9 && d9 >>> 0 <= 9 && ((buf[s + 10] as number) - 48) >>> 0 > 9) {
              v = high * 1e6 + mid * 100 + d8 * 10 + d9;
              p = s + 10;
            }
          }
          for (; p < n; p += 1) {
            const d = (buf[p] as number) - 48;
            if (d >>> 0 > 9) break;
            v = v * 10 + d;
          }
          if (p === s || v >= SECONDS_MAX || v > latest) break rows;
          if (j === timeAt) seconds = v;
        } else {
          type = this.knownTypes.at(buf, s, n, j === width - 1 ? LF : COMMA);
          if (type < 0) break rows;
          p = s + this.knownTypes.lastLength;
        }
        // Every read stays inside `buf` (a line cut by the chunk end is left to `read`): a read past
        // the end would deoptimise this function.
        if (p - s > (maxLength[j] as number) || p >= n) break rows;
        const b = buf[p] as number;
        if (j < width - 1) {
          if (b !== COMMA) break rows;
          p += 1;
        } else if (b === CR && p + 1 < n && buf[p + 1] === LF) p += 1;
        else if (b !== LF) break rows;
      }
      const r = this.batched;
      const d = r * ROW;
      rowNumbers[r * 3] = line + taken;
      rowNumbers[r * 3 + 1] = seconds;
      rowNumbers[r * 3 + 2] = Number.NaN;
      rowData[d + KIND] = PROFILED;
      rowData[d + A] = us;
      rowData[d + A + 1] = us + userLength;
      rowData[d + B] = is;
      rowData[d + B + 1] = is + itemLength;
      rowData[d + TYPE] = type;
      rowData[d + USER_DIGITS] = user;
      rowData[d + ITEM_DIGITS] = item;
      end = p;
      p += 1;
      taken += 1;
      this.batched = r + 1;
      if (r + 1 === BATCH) {
        this.flush();
        break;
      }
    }
    this.lines = taken;
    return taken > 0 ? end : -1;
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
      type = this.knownTypes.index(profiler, buf, this.startOf(eventTypeAt, start), ends[eventTypeAt] as number);
      if (type === UNTRACKED_EVENT_TYPE) return false;
    }

    if (empty || this.hasDistinct) this.countValues(buf, start);
    this.queue(buf, start, line, profiled, seconds, type);
    return true;
  }

  /**
   * Counts the batched rows in order: their ids' slots (or, for digit-form users, index entries)
   * are read first in one tight loop, so the cache misses of the whole batch overlap, then each row is looked up and profiled. Must run
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
    else if (users !== undefined) this.touched = users.touchDigitKeys(rowData, USER_DIGITS, ROW, n);
    else if (ids !== undefined) this.touched = ids.touch(keys, 0, 2 * KEY_WORDS, n);
    // The sink hears of runs of consecutive lines rather than of each row.
    let first = -1;
    let last = -1;
    for (let r = 0; r < n; r += 1) {
      const d = r * ROW;
      const kind = rowData[d + KIND];
      const line = rowNumbers[r * 3] as number;
      if (line !== last + 1) {
        if (first >= 0) this.sink.rows(first, last);
        first = line;
      }
      last = line;
      if (kind === PROFILED && users !== undefined && items !== undefined && this.profiler !== undefined) {
        const ud = rowData[d + USER_DIGITS] as number;
        const id = rowData[d + ITEM_DIGITS] as number;
        const u = ud >= 0 ? users.addDigitKey(ud, buf, rowData[d + A] as number, rowData[d + A + 1] as number) : users.addKey(buf, rowData[d + A] as number, rowData[d + A + 1] as number, keys, r * 2 * KEY_WORDS);
        const it = id >= 0 ? items.addDigitKey(id, buf, rowData[d + B] as number, rowData[d + B + 1] as number) : items.addKey(buf, rowData[d + B] as number, rowData[d + B + 1] as number, keys, (r * 2 + 1) * KEY_WORDS);
        const seconds = rowNumbers[r * 3 + 1] as number;
        this.profiler.addInterned(u, it, seconds >= 0 ? seconds : undefined, rowData[d + TYPE] as number, undefined, rowNumbers[r * 3 + 2] as number);
      } else if (kind === METADATA && ids !== undefined) {
        const from = rowData[d + A] as number;
        const to = rowData[d + A + 1] as number;
        const i = ids.addKey(buf, from, to, keys, r * 2 * KEY_WORDS);
        if (ids.countAt(i) === 2) {
          this.sink.rows(first, line);
          first = -1;
          last = -1;
          this.sink.duplicate(line, from - (rowData[d + B] as number) + 1, buf, from, to);
        }
      }
    }
    if (first >= 0) this.sink.rows(first, last);
  }

  /** Adds an accepted row to the batch, hashing the ids it will count. */
  private queue(buf: Buffer, start: number, line: number, profiled: boolean, seconds: number, type: number): void {
    const { ends } = this;
    const { userAt, itemAt, eventValueAt, idAt } = this.at;
    if (profiled) {
      const us = this.startOf(userAt, start);
      const ue = ends[userAt] as number;
      const is = this.startOf(itemAt, start);
      const ie = ends[itemAt] as number;
      const value = eventValueAt >= 0 && this.length(eventValueAt, start) > 0 ? Number(buf.toString('latin1', this.startOf(eventValueAt, start), ends[eventValueAt] as number)) : Number.NaN;
      const profiler = this.profiler as InteractionsProfiler;
      const ud = profiler.users.table.digitValue(buf, us, ue);
      const id = profiler.items.table.digitValue(buf, is, ie);
      this.queueProfiled(buf, line, us, ue, is, ie, ud, id, seconds, type, value);
      return;
    }
    const r = this.startRow(buf, line);
    if (this.metadataIds !== undefined && idAt >= 0 && this.length(idAt, start) > 0) {
      const from = this.startOf(idAt, start);
      const d = r * ROW;
      this.rowData[d + KIND] = METADATA;
      this.rowData[d + A] = from;
      this.rowData[d + A + 1] = ends[idAt] as number;
      this.rowData[d + B] = start;
      this.metadataIds.table.hashKey(buf, from, ends[idAt] as number, this.keys, r * 2 * KEY_WORDS);
    }
    this.endRow();
  }

  /**
   * Adds a profiled row to the batch: its ids' digit-key values (-1: hashed instead, and hashed
   * here), epoch seconds (-1: none) and event value (NaN: none).
   */
  private queueProfiled(buf: Buffer, line: number, us: number, ue: number, is: number, ie: number, ud: number, id: number, seconds: number, type: number, value: number): void {
    const r = this.startRow(buf, line);
    const d = r * ROW;
    const { rowData, rowNumbers, keys } = this;
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
    const profiler = this.profiler as InteractionsProfiler;
    if (ud < 0) profiler.users.table.hashKey(buf, us, ue, keys, r * 2 * KEY_WORDS);
    if (id < 0) profiler.items.table.hashKey(buf, is, ie, keys, (r * 2 + 1) * KEY_WORDS);
    if (ud < 0 || id < 0) this.hashed += 1;
    this.endRow();
  }

  /** The batch position of a new row from `buf` (a row of another chunk first counts the batch). */
  private startRow(buf: Buffer, line: number): number {
    if (this.batchBuf !== buf) {
      this.flush();
      this.batchBuf = buf;
    }
    const r = this.batched;
    this.rowNumbers[r * 3] = line;
    this.rowData[r * ROW + KIND] = PLAIN;
    return r;
  }

  private endRow(): void {
    this.batched += 1;
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

  private length(j: number, start: number): number {
    return (this.ends[j] as number) - this.startOf(j, start);
  }
}
