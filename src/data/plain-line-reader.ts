import type { Buffer } from 'node:buffer';
import type { FastLineReader } from './line-feeder.ts';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * The first step of every byte-level reader (the validator's `FastRows`, the emulator import's
 * `ByteRowReader`): a plain line (ASCII, no quote, no lone CR, exactly `width` fields) is split
 * straight from the chunk's bytes and handed to `take`, which checks and counts its values. Any
 * other line is declined before anything is counted, so the CSV parser reads it instead; a blank
 * line is taken as no record, as the parser sees it.
 */
export abstract class PlainLineReader implements FastLineReader {
  lineEnd = -1;
  /** Lines the last `read` that returned true took: one, unless a subclass reads runs of them. */
  lines = 1;
  /** Field k of the line being read ends at `ends[k]` (exclusive). */
  protected readonly ends: Int32Array;

  constructor(protected readonly width: number) {
    this.ends = new Int32Array(Math.max(1, width));
  }

  read(buf: Buffer, start: number, line: number): boolean {
    const n = buf.length;
    const width = this.width;
    const ends = this.ends;
    let k = 0;
    let i = start;
    for (; i < n; i += 1) {
      const b = buf[i] as number;
      if (b - (COMMA + 1) >>> 0 <= 127 - (COMMA + 1)) continue; // one test for the usual byte
      if (b > 127) return this.decline(buf, i);
      if (b === COMMA) {
        if (k === width - 1) return this.decline(buf, i);
        ends[k] = i;
        k += 1;
      } else if (b === LF) break;
      else if (b === QUOTE || (b === CR && buf[i + 1] !== LF)) return this.decline(buf, i);
    }
    if (i === n) return this.decline(buf, start);
    this.lineEnd = i;
    const end = i > start && buf[i - 1] === CR ? i - 1 : i;
    if (end === start && k === 0) return true; // a blank line: no record, as the parser sees it
    ends[k] = end;
    if (k !== width - 1) return false;
    return this.take(buf, start, line);
  }

  abstract flush(): void;

  /**
   * Checks the values of the split line that starts at `start`, then counts it (true) or declines
   * it (false) before anything is counted, so the parser's path can give the reason.
   */
  protected abstract take(buf: Buffer, start: number, line: number): boolean;

  /** Where field `j` of the line that starts at `start` begins. */
  protected startOf(j: number, start: number): number {
    return j === 0 ? start : (this.ends[j - 1] as number) + 1;
  }

  private decline(buf: Buffer, from: number): false {
    this.lineEnd = buf.indexOf(LF, from);
    return false;
  }
}

/** The decimal value of `buf[s, e)` when it is all ASCII digits (at least one), else -1. */
export function digits(buf: Buffer, s: number, e: number): number {
  return e <= s ? -1 : digitRun(buf, s, e);
}

/**
 * The value of the four ASCII digits `buf[p, p + 4)`, or -1 when any of them is not a digit; the
 * caller keeps `p + 4 <= buf.length`. One 32-bit word instead of four compares and four
 * multiply-adds: a byte is a digit when its high nibble is 3 and adding 6 keeps it so.
 */
export function fourDigits(buf: Uint8Array, p: number): number {
  const w = wordAt(buf, p);
  if (((w & 0xf0f0f0f0) | (((w + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) return -1;
  const d = w & 0x0f0f0f0f;
  // First digit in the low byte: pairs (d0 * 10 + d1, d2 * 10 + d3) in bytes 0 and 2, then the whole.
  const pairs = (Math.imul(d, 10) + (d >>> 8)) & 0x00ff00ff;
  return (Math.imul(pairs, 100) + (pairs >>> 16)) & 0xffff;
}

/** The four bytes `buf[p, p + 4)` as a little-endian 32-bit word; the caller keeps `p + 4 <= buf.length`. */
export function wordAt(buf: Uint8Array, p: number): number {
  return (buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24);
}

/** The value of the ASCII digits `buf[q, e)`, read four at a time, or -1 when any byte is not a digit (0 when the range is empty). */
export function digitRun(buf: Uint8Array, q: number, e: number): number {
  let v = 0;
  for (; q + 4 <= e; q += 4) {
    const four = fourDigits(buf, q);
    if (four < 0) return -1;
    v = v * 10000 + four;
  }
  for (; q < e; q += 1) {
    const d = (buf[q] as number) - 48;
    if (d >>> 0 > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Reads the plain digits that start at `s` (nothing at or past `n`) as epoch seconds into
 * `out[0]`; returns where they end, or -1 when there is none. Ten digits, the usual width, are
 * read by `digitRun` (four at a time); any other width a byte at a time, which gives the same value.
 */
export function digitsAt(buf: Uint8Array, s: number, n: number, out: Float64Array): number {
  if (s + 10 < n && ((buf[s + 10] as number) - 48) >>> 0 > 9) {
    const ten = digitRun(buf, s, s + 10);
    if (ten >= 0) {
      out[0] = ten;
      return s + 10;
    }
  }
  let v = 0;
  let p = s;
  for (; p < n; p += 1) {
    const d = (buf[p] as number) - 48;
    if (d >>> 0 > 9) break;
    v = v * 10 + d;
  }
  out[0] = v;
  return p === s ? -1 : p;
}

/** Whether the `len` bytes at `s` are `word` (ASCII). */
export function isWord(buf: Buffer, s: number, len: number, word: string): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k += 1) if (buf[s + k] !== word.charCodeAt(k)) return false;
  return true;
}
