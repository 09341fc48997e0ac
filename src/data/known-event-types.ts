import type { Buffer } from 'node:buffer';
import type { InteractionsProfiler } from './interactions-profiler.ts';
import { wordAt } from './plain-line-reader.ts';

/** Event types remembered by their bytes, each up to TYPE_BYTES long. */
const KNOWN_TYPES = 8;
const TYPE_BYTES = 32;
const LF = 10;
const CR = 13;

/**
 * The byte-level path's memory of the first few event types: a file has a handful of them, so
 * comparing a value with these byte by byte is cheaper than asking the profiler's table (which
 * hashes). Indexes are the profiler's.
 */
export class KnownEventTypes {
  private readonly bytes = new Uint8Array(KNOWN_TYPES * TYPE_BYTES);
  private readonly lengths = new Int32Array(KNOWN_TYPES);
  private readonly indexes = new Int32Array(KNOWN_TYPES);
  /** Per type: its first four bytes as a little-endian word (zeros past a shorter type) and the mask of those it has. */
  private readonly words = new Int32Array(KNOWN_TYPES);
  private readonly masks = new Int32Array(KNOWN_TYPES);
  private count = 0;
  /** Bytes of the type `at` last found. */
  lastLength = 0;

  /** The index of the event type `buf[s, e)`, as `profiler.eventTypeIndex` gives it (remembered when there is room). */
  index(profiler: InteractionsProfiler, buf: Buffer, s: number, e: number): number {
    const len = e - s;
    const known = this.bytes;
    for (let t = 0; t < this.count; t += 1) {
      const at = t * TYPE_BYTES;
      if (this.lengths[t] !== len) continue;
      let k = 0;
      while (k < len && buf[s + k] === known[at + k]) k += 1;
      if (k === len) return this.indexes[t] as number;
    }
    const type = profiler.eventTypeIndex(buf, s, e);
    if (type >= 0 && len <= TYPE_BYTES && this.count < KNOWN_TYPES) {
      const t = this.count;
      known.set(buf.subarray(s, e), t * TYPE_BYTES);
      this.masks[t] = len >= 4 ? -1 : (1 << (8 * len)) - 1;
      this.words[t] = wordAt(known, t * TYPE_BYTES) & (this.masks[t] as number);
      this.lengths[t] = len;
      this.indexes[t] = type;
      this.count = t + 1;
    }
    return type;
  }

  /**
   * The index of the remembered type whose bytes start at `s` and are followed by `delimiter`
   * (LF also by CR), reading nothing at or past `n`; -1 when none is (`lastLength` then means
   * nothing). An empty type is never taken here: the split path counts it as a missing value.
   * The first four bytes are compared as one word, which tells most types apart; a type that
   * starts within four bytes of `n` is left to the split path too.
   */
  at(buf: Buffer, s: number, n: number, delimiter: number): number {
    if (s + 4 > n) return -1;
    const known = this.bytes;
    const first = wordAt(buf, s);
    for (let t = 0; t < this.count; t += 1) {
      const len = this.lengths[t] as number;
      if (len === 0 || s + len >= n || (first & (this.masks[t] as number)) !== this.words[t]) continue;
      const at = t * TYPE_BYTES;
      let k = len < 4 ? len : 4;
      while (k < len && buf[s + k] === known[at + k]) k += 1;
      const next = buf[s + len];
      if (k === len && (next === delimiter || (delimiter === LF && next === CR))) {
        this.lastLength = len;
        return this.indexes[t] as number;
      }
    }
    return -1;
  }
}
