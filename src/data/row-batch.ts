import type { Buffer } from 'node:buffer';
import { KEY_WORDS } from './byte-interner.ts';
import type { IdCounter } from './id-counter.ts';
import { ProfiledRows, type InteractionsProfiler } from './interactions-profiler.ts';

/** What the validator does with an accepted row besides counting it. */
export interface FastRowSink {
  /** Rows `first` to `last` (consecutive lines) were read, in order. */
  rows(first: number, last: number): void;
  /** Row `line`, already passed to `rows`, holds the second occurrence of its metadata id `buf[idStart, idEnd)` (1-based CSV column `column`). */
  duplicate(line: number, column: number, buf: Buffer, idStart: number, idEnd: number): void;
}

/** Rows counted together; their id lookups overlap in memory. */
export const BATCH = 64;
/**
 * Int32 words per batched row in `RowBatch.rowData`: kind, the user (or metadata id) range, the
 * item range (or line start), event type, and the user's and item's digit-key values (-1: hashed
 * instead). `rowNumbers` holds three per row: line, epoch seconds (-1: none), event value (NaN: none).
 */
export const ROW = 8;
export const KIND = 0;
export const A = 1;
export const B = 3;
export const TYPE = 5;
export const USER_DIGITS = 6;
export const ITEM_DIGITS = 7;
const PLAIN = 0;
export const PROFILED = 1;
const METADATA = 2;

/**
 * The byte-level path's accepted rows, counted a batch at a time (`flush`) in order: their ids
 * interned by their bytes, the id-table reads of the whole batch started together, then the rows
 * handed to the profiler in one call. Rows point into the chunk `buf`, so a batch is counted
 * before a row of another chunk joins it and before anything else (the parser, the finding
 * sink) sees a later line. Readers may write a row straight into `rowData` and `rowNumbers` at
 * index `size` (the layout above); they then bump `size` and flush at BATCH.
 */
export class RowBatch {
  size = 0;
  buf: Buffer | undefined;
  readonly rowData = new Int32Array(BATCH * ROW);
  readonly rowNumbers = new Float64Array(BATCH * 3);
  /** Per row, the user's and the item's key hashes (KEY_WORDS each), for ids not of digit form. */
  readonly keys = new Int32Array(BATCH * 2 * KEY_WORDS);
  /** Sum of the slot reads of the last batch; kept so the reads are not optimised away. */
  touched = 0;
  /** Rows of the batch with a hashed key: their slots are worth touching ahead. */
  private hashed = 0;
  private readonly profiled = new ProfiledRows(BATCH);

  constructor(
    private readonly profiler: InteractionsProfiler | undefined,
    private readonly metadataIds: IdCounter | undefined,
    private readonly sink: FastRowSink,
  ) {}

  /** Before rows of `buf`: a batch from another chunk is counted first. */
  use(buf: Buffer): void {
    if (this.buf !== buf) {
      this.flush();
      this.buf = buf;
    }
  }

  /** A row with nothing to count but its line. */
  queuePlain(buf: Buffer, line: number): void {
    this.startRow(buf, line);
    this.endRow();
  }

  /** A metadata row whose id is `buf[from, to)`, in the line that starts at `lineStart`. */
  queueMetadata(buf: Buffer, line: number, from: number, to: number, lineStart: number): void {
    const r = this.startRow(buf, line);
    const d = r * ROW;
    this.rowData[d + KIND] = METADATA;
    this.rowData[d + A] = from;
    this.rowData[d + A + 1] = to;
    this.rowData[d + B] = lineStart;
    this.metadataIds?.table.hashKey(buf, from, to, this.keys, r * 2 * KEY_WORDS);
    this.endRow();
  }

  /**
   * A profiled row: its ids' digit-key values (-1: hashed instead, and hashed here), epoch
   * seconds (-1: none) and event value (NaN: none).
   */
  queueProfiled(buf: Buffer, line: number, us: number, ue: number, is: number, ie: number, ud: number, id: number, seconds: number, type: number, value: number): void {
    const r = this.startRow(buf, line);
    this.writeProfiled(r, us, ue, is, ie, ud, id, seconds, type, value);
    const profiler = this.profiler as InteractionsProfiler;
    if (ud < 0) profiler.users.table.hashKey(buf, us, ue, this.keys, r * 2 * KEY_WORDS);
    if (id < 0) profiler.items.table.hashKey(buf, is, ie, this.keys, (r * 2 + 1) * KEY_WORDS);
    if (ud < 0 || id < 0) this.hashed += 1;
    this.endRow();
  }

  /** A profiled row of digit-form ids from the chunk in `use`, with no event value; true when that filled the batch, which is then counted. */
  queueDigitKeys(line: number, us: number, ue: number, is: number, ie: number, user: number, item: number, seconds: number, type: number): boolean {
    const r = this.size;
    this.rowNumbers[r * 3] = line;
    this.writeProfiled(r, us, ue, is, ie, user, item, seconds, type, Number.NaN);
    this.size = r + 1;
    if (r + 1 < BATCH) return false;
    this.flush();
    return true;
  }

  /** Counts the batched rows in order (see the class). */
  flush(): void {
    const n = this.size;
    if (n === 0) return;
    this.size = 0;
    const hashed = this.hashed;
    this.hashed = 0;
    const buf = this.buf as Buffer;
    const { rowData, rowNumbers, keys, profiled } = this;
    const users = this.profiler?.users.table;
    const items = this.profiler?.items.table;
    const ids = this.metadataIds?.table;
    // Rows that are not profiled (or have no metadata id) left stale hashes: touching them is harmless.
    if (hashed > 0 && users !== undefined && items !== undefined) this.touched = users.touch(keys, 0, 2 * KEY_WORDS, n) + items.touch(keys, KEY_WORDS, 2 * KEY_WORDS, n);
    else if (users !== undefined) this.touched = users.touchDigitKeys(rowData, USER_DIGITS, ROW, n);
    else if (ids !== undefined) this.touched = ids.touch(keys, 0, 2 * KEY_WORDS, n);
    profiled.length = 0;
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
      if (kind === PROFILED && users !== undefined && items !== undefined) {
        const ud = rowData[d + USER_DIGITS] as number;
        const id = rowData[d + ITEM_DIGITS] as number;
        const u = ud >= 0 ? users.addDigitKey(ud, buf, rowData[d + A] as number, rowData[d + A + 1] as number) : users.addKey(buf, rowData[d + A] as number, rowData[d + A + 1] as number, keys, r * 2 * KEY_WORDS);
        const it = id >= 0 ? items.addDigitKey(id, buf, rowData[d + B] as number, rowData[d + B + 1] as number) : items.addKey(buf, rowData[d + B] as number, rowData[d + B + 1] as number, keys, (r * 2 + 1) * KEY_WORDS);
        const seconds = rowNumbers[r * 3 + 1] as number;
        const k = profiled.length;
        profiled.users[k] = u;
        profiled.items[k] = it;
        profiled.types[k] = rowData[d + TYPE] as number;
        profiled.seconds[k] = seconds >= 0 ? seconds : Number.NaN;
        profiled.values[k] = rowNumbers[r * 3 + 2] as number;
        profiled.length = k + 1;
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
    if (profiled.length > 0) this.profiler?.addRows(profiled);
  }

  private writeProfiled(r: number, us: number, ue: number, is: number, ie: number, ud: number, id: number, seconds: number, type: number, value: number): void {
    const { rowData, rowNumbers } = this;
    const d = r * ROW;
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
  }

  /** The batch position of a new row from `buf` (a row of another chunk first counts the batch). */
  private startRow(buf: Buffer, line: number): number {
    this.use(buf);
    const r = this.size;
    this.rowNumbers[r * 3] = line;
    this.rowData[r * ROW + KIND] = PLAIN;
    return r;
  }

  private endRow(): void {
    this.size += 1;
    if (this.size === BATCH) this.flush();
  }
}
