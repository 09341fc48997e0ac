import type { Buffer } from 'node:buffer';
import type { ByteInterner } from './byte-interner.ts';
import type { IdCounter } from './id-counter.ts';
import { InteractionsProfiler, NO_EVENT_TYPE, UNTRACKED_EVENT_TYPE } from './interactions-profiler.ts';
import { KnownEventTypes } from './known-event-types.ts';
import { digitRun, digits, digitsAt, fourDigits, isWord, PlainLineReader, wordAt } from './plain-line-reader.ts';
import { A, B, BATCH, ITEM_DIGITS, KIND, PROFILED, ROW, RowBatch, TYPE, USER_DIGITS, type FastRowSink } from './row-batch.ts';
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

const SKIP = 0;
const STRING = 1;
const TIMESTAMP = 2;
const INT = 3;
const LONG = 4;
const DECIMAL = 5;
const BOOLEAN = 6;
const KINDS = { string: STRING, timestamp: TIMESTAMP, int: INT, long: LONG, float: DECIMAL, double: DECIMAL, boolean: BOOLEAN } as const;

/** What `fixedRows` expects in each column (see there); NOT_FIXED: the file's columns do not allow it. */
const NOT_FIXED = 0;
const USER_KEY = 1;
const ITEM_KEY = 2;
const EPOCH = 3;
const KNOWN_TYPE = 4;
/** Int32 words per id table in `forms` (users, then items): the learnt digit form, as `fixedRows` reads keys. */
const FORM = 5;
const FORM_PREFIX = 0;
const FORM_MASK = 1;
const FORM_PREFIX_LENGTH = 2;
const FORM_LENGTH = 3;
const FORM_ROOM = 4;
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
 * from the chunk's bytes (integers parsed in place, no string per field) and queued in a
 * `RowBatch`, which counts the rows in order. The usual interactions line skips the split:
 * `usualRows` (the usual column order) or `fixedRows` (any other) reads and checks it in one
 * pass. Any other line is declined before anything is counted,
 * and the general path (parser, `checkTyped`, `classifyTimestamp`, the finding sink) handles it;
 * that is what keeps the two paths' findings, profile and ids equal.
 */
export class FastRows extends PlainLineReader {
  private readonly kinds: Uint8Array;
  private readonly maxLength: Float64Array;
  private readonly nullable: Uint8Array;
  private readonly hasDistinct: boolean;
  private readonly knownTypes = new KnownEventTypes();
  private readonly batch: RowBatch;
  /** Per column, what `fixedRows` expects there; empty when it never applies. */
  private readonly fixed: Uint8Array;
  /** The columns are the usual ones in the usual order: `usualRows` reads them. */
  private readonly usual: boolean;
  private readonly forms = new Int32Array(2 * FORM);
  /** Where `digitsAt` puts the seconds it reads. */
  private readonly when = new Float64Array(1);

  constructor(
    private readonly columns: readonly (ColumnState | undefined)[],
    private readonly at: ColumnPositions,
    private readonly now: number,
    private readonly distinctCap: number,
    private readonly profiler: InteractionsProfiler | undefined,
    private readonly metadataIds: IdCounter | undefined,
    sink: FastRowSink,
  ) {
    super(columns.length);
    this.batch = new RowBatch(profiler, metadataIds, sink);
    this.kinds = Uint8Array.from(columns, (c) => (c === undefined ? SKIP : KINDS[c.rule.kind]));
    this.maxLength = Float64Array.from(columns, (c) => c?.rule.maxLength ?? 0);
    this.nullable = Uint8Array.from(columns, (c) => (c?.rule.nullable === true ? 1 : 0));
    this.hasDistinct = columns.some((c) => c?.distinct !== undefined);
    const fixed = this.kinds.map((kind, j) => (kind === TIMESTAMP ? EPOCH : kind !== STRING ? NOT_FIXED : j === at.userAt ? USER_KEY : j === at.itemAt ? ITEM_KEY : j === at.eventTypeAt ? KNOWN_TYPE : NOT_FIXED));
    const applies = profiler !== undefined && at.userAt >= 0 && at.itemAt >= 0 && !this.hasDistinct && !fixed.includes(NOT_FIXED);
    this.fixed = applies ? fixed : new Uint8Array(0);
    const order = [USER_KEY, ITEM_KEY, EPOCH, KNOWN_TYPE].slice(0, this.width);
    this.usual = applies && (this.width === 3 || this.width === 4) && at.timeAt === 2 && order.every((op, j) => fixed[j] === op);
  }

  override read(buf: Buffer, start: number, line: number): boolean {
    if (this.fixed.length > 0) {
      const end = this.usual ? this.usualRows(buf, start, line) : this.fixedRows(buf, start, line);
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
   * (as `RowBatch.queueProfiled` would, without its hashing) until one is not one or the batch is full,
   * and returns the last one's LF (`lines` says how many); returns -1 when the first line is not
   * one, having counted nothing, and `read` decides. A call takes at most a batch so that it
   * stays short: V8 optimises a function called often better than a long loop entered once per
   * chunk. Every read stays inside `buf` (a line cut by the chunk end is left to `read`): a read
   * past the end would deoptimise these functions.
   */
  private fixedRows(buf: Buffer, start: number, line: number): number {
    if (!this.startRun(buf)) return -1;
    const { fixed, width, maxLength, forms, when } = this;
    const timeAt = this.at.timeAt;
    const latest = this.now + 86_400;
    const n = buf.length;
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
        if (op === USER_KEY || op === ITEM_KEY) {
          const f = op === USER_KEY ? 0 : FORM;
          const v = this.keyAt(buf, s, n, f);
          if (v < 0) break rows;
          p = s + (forms[f + FORM_LENGTH] as number);
          if (op === USER_KEY) {
            user = v;
            us = s;
          } else {
            item = v;
            is = s;
          }
        } else if (op === EPOCH) {
          p = digitsAt(buf, s, n, when);
          const v = when[0] as number;
          if (p < 0 || v >= SECONDS_MAX || v > latest) break rows;
          if (j === timeAt) seconds = v;
        } else {
          type = this.knownTypes.at(buf, s, n, j === width - 1 ? LF : COMMA);
          if (type < 0) break rows;
          p = s + this.knownTypes.lastLength;
        }
        if (p - s > (maxLength[j] as number) || p >= n) break rows;
        const b = buf[p] as number;
        if (j < width - 1) {
          if (b !== COMMA) break rows;
          p += 1;
        } else if (b === CR && p + 1 < n && buf[p + 1] === LF) p += 1;
        else if (b !== LF) break rows;
      }
      end = p;
      p += 1;
      taken += 1;
      if (this.batch.queueDigitKeys(line + taken - 1, us, us + (forms[FORM_LENGTH] as number), is, is + (forms[FORM + FORM_LENGTH] as number), user, item, seconds, type)) break;
    }
    this.lines = taken;
    return taken > 0 ? end : -1;
  }

  /**
   * `fixedRows` for the usual columns in the usual order (USER_ID, ITEM_ID, TIMESTAMP and, when
   * there is one, EVENT_TYPE; nothing else): the same reads and checks written out in that order,
   * with `keyAt`, `digitsAt` and `RowBatch.queueDigitKeys` written out too. The loop over the
   * columns cost about a third of this path's time per row, and V8's inlining budget did not
   * stretch to those calls here: with them as calls the 10M-row file took 9% (the reads) and 5-8%
   * (the queueing) more CPU in interleaved runs.
   */
  private usualRows(buf: Buffer, start: number, line: number): number {
    if (!this.startRun(buf)) return -1;
    const { forms, when, knownTypes, batch } = this;
    const { rowData, rowNumbers } = batch;
    const userPrefix = forms[FORM_PREFIX] as number;
    const userMask = forms[FORM_MASK] as number;
    const userDigits = forms[FORM_PREFIX_LENGTH] as number;
    const userLength = forms[FORM_LENGTH] as number;
    const itemPrefix = forms[FORM + FORM_PREFIX] as number;
    const itemMask = forms[FORM + FORM_MASK] as number;
    const itemDigits = forms[FORM + FORM_PREFIX_LENGTH] as number;
    const itemLength = forms[FORM + FORM_LENGTH] as number;
    // The ids' lengths are their form's; the types remembered were checked when first seen.
    if (userLength > (this.maxLength[0] as number) || itemLength > (this.maxLength[1] as number)) return -1;
    const maxSeconds = this.maxLength[2] as number;
    const withType = this.width === 4;
    const latest = this.now + 86_400;
    const n = buf.length;
    let taken = 0;
    let end = -1;
    let p = start;
    while (p < n) {
      const us = p;
      p = us + userLength;
      if (us + 4 > n || p >= n || (wordAt(buf, us) & userMask) !== userPrefix) break;
      let user = 0;
      let q = us + userDigits;
      for (; q + 4 <= p; q += 4) {
        const four = fourDigits(buf, q);
        if (four < 0) break;
        user = user * 10000 + four;
      }
      for (; q < p; q += 1) {
        const digit = (buf[q] as number) - 48;
        if (digit >>> 0 > 9) break;
        user = user * 10 + digit;
      }
      if (q < p || buf[p] !== COMMA) break;
      if (user >= (forms[FORM_ROOM] as number) && this.makeDigitRoom(0, user) < 0) break;
      const is = p + 1;
      p = is + itemLength;
      if (is + 4 > n || p >= n || (wordAt(buf, is) & itemMask) !== itemPrefix) break;
      let item = 0;
      q = is + itemDigits;
      for (; q + 4 <= p; q += 4) {
        const four = fourDigits(buf, q);
        if (four < 0) break;
        item = item * 10000 + four;
      }
      for (; q < p; q += 1) {
        const digit = (buf[q] as number) - 48;
        if (digit >>> 0 > 9) break;
        item = item * 10 + digit;
      }
      if (q < p || buf[p] !== COMMA) break;
      if (item >= (forms[FORM + FORM_ROOM] as number) && this.makeDigitRoom(FORM, item) < 0) break;
      const ts = p + 1;
      let seconds = -1;
      if (ts + 10 < n && ((buf[ts + 10] as number) - 48) >>> 0 > 9) {
        const high = fourDigits(buf, ts);
        const mid = fourDigits(buf, ts + 4);
        const d8 = (buf[ts + 8] as number) - 48;
        const d9 = (buf[ts + 9] as number) - 48;
        if (high >= 0 && mid >= 0 && d8 >>> 0 <= 9 && d9 >>> 0 <= 9) {
          seconds = high * 1e6 + mid * 100 + d8 * 10 + d9;
          p = ts + 10;
        }
      }
      if (seconds < 0) {
        p = digitsAt(buf, ts, n, when);
        seconds = when[0] as number;
      }
      if (p < 0 || p - ts > maxSeconds || seconds >= SECONDS_MAX || seconds > latest || p >= n) break;
      let type = NO_TYPE;
      if (withType) {
        if (buf[p] !== COMMA) break;
        type = knownTypes.at(buf, p + 1, n, LF);
        if (type < 0) break;
        p += 1 + knownTypes.lastLength;
      }
      const b = buf[p];
      if (b === CR && p + 1 < n && buf[p + 1] === LF) p += 1;
      else if (b !== LF) break;
      const r = batch.size;
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
      batch.size = r + 1;
      if (r + 1 === BATCH) {
        batch.flush();
        break;
      }
    }
    this.lines = taken;
    return taken > 0 ? end : -1;
  }

  /**
   * Before a run of one-pass reads: counts a batch of another chunk, and copies the id tables'
   * digit forms into `forms`; false when either table has no form (yet), so no line can be read.
   */
  private startRun(buf: Buffer): boolean {
    const profiler = this.profiler as InteractionsProfiler;
    const users = profiler.users.table;
    const items = profiler.items.table;
    if (users.digitKeyLength <= 0 || items.digitKeyLength <= 0) return false;
    this.batch.use(buf);
    this.readForm(users, 0);
    this.readForm(items, FORM);
    return true;
  }

  private readForm(table: ByteInterner, f: number): void {
    const forms = this.forms;
    forms[f + FORM_PREFIX] = table.digitPrefix;
    forms[f + FORM_MASK] = table.digitPrefixMask;
    forms[f + FORM_PREFIX_LENGTH] = table.digitPrefixLength;
    forms[f + FORM_LENGTH] = table.digitKeyLength;
    forms[f + FORM_ROOM] = table.digitRoom;
  }

  /**
   * The digit-key value of the id at `s` in the form at `forms[f]` (users 0, items FORM), or -1
   * when the bytes there are not one; a byte must follow it before `n`, which the caller checks.
   * Read here rather than by a call to the table (see `ByteInterner.digitPrefix`): a call per key
   * cost more than the key.
   */
  private keyAt(buf: Buffer, s: number, n: number, f: number): number {
    const forms = this.forms;
    const e = s + (forms[f + FORM_LENGTH] as number);
    if (s + 4 > n || e >= n || (wordAt(buf, s) & (forms[f + FORM_MASK] as number)) !== forms[f + FORM_PREFIX]) return -1;
    const v = digitRun(buf, s + (forms[f + FORM_PREFIX_LENGTH] as number), e);
    return v < (forms[f + FORM_ROOM] as number) ? v : this.makeDigitRoom(f, v);
  }

  /** Room in an id table's digit-key index for `value` (-1: none), noted in `forms` at `f`. */
  private makeDigitRoom(f: number, value: number): number {
    if (value < 0) return -1;
    const profiler = this.profiler as InteractionsProfiler;
    const table = f === 0 ? profiler.users.table : profiler.items.table;
    const v = table.makeDigitRoom(value);
    this.forms[f + FORM_ROOM] = table.digitRoom;
    return v;
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

  /** Counts the rows taken so far (see `RowBatch`). */
  flush(): void {
    this.batch.flush();
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
      this.batch.queueProfiled(buf, line, us, ue, is, ie, ud, id, seconds, type, value);
    } else if (this.metadataIds !== undefined && idAt >= 0 && this.length(idAt, start) > 0) this.batch.queueMetadata(buf, line, this.startOf(idAt, start), ends[idAt] as number, start);
    else this.batch.queuePlain(buf, line);
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
