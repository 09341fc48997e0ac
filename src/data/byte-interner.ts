import { Buffer } from 'node:buffer';
import { digitRun } from './plain-line-reader.ts';

/**
 * Int32 words per table slot: tag (hash high bits and length), index + 1, a spare word (keeps
 * slots 32 bytes, so one never straddles two cache lines), 16 key bytes, hash.
 */
const STRIDE = 8;
const TAG = 0;
const INDEX = 1;
const WORDS = 3;
const HASH = 7;
/** Keys up to this long are compared from the slot alone, without touching the arena. */
const INLINE = 16;
/** Digit keys: at most this many prefix bytes and digits (so a value fits in 30 bits). */
const MAX_PREFIX = 4;
const MAX_DIGITS = 9;
/** Entries of the digit-key index (16 MB); keys whose value is beyond it take the hash table. */
const MAX_DIRECT = 1 << 22;
/** `digitLength` before the first key is seen, and once keys turn out not to follow one form. */
const UNLEARNED = 0;
const NO_DIGIT_KEYS = -1;

/** Murmur3's finaliser: every input bit affects the low bits used to pick a slot. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Int32 words a hashed key takes in a `KeyHashes` array: hash, tag, 16 inline bytes. */
export const KEY_WORDS = 6;

/**
 * Keys hashed ahead of their lookups, KEY_WORDS each (see `ByteInterner.hashKey`). Hashing a
 * batch of keys, touching their slots, then looking them up lets the cache misses of a whole
 * batch overlap instead of being paid one after the other.
 */
export type KeyHashes = Int32Array;

/**
 * Interns byte strings to dense indexes 0..size-1 in first-seen order, with an occurrence count
 * per key. Keys live back to back in one arena and the table is open addressing over one typed
 * array, so a lookup straight from a chunk of file bytes allocates nothing. A slot holds the key's
 * tag (hash high bits and length), index, count and first 16 bytes: a short key (most ids) is
 * found, rejected and counted by reading one slot. That matters because ids arrive in random
 * order, so that read is usually a cache miss; `hashKey` and `touch` let a caller start the reads
 * for a batch of keys before it needs any of them (the validator's byte-level path does).
 * Invariant: key i is `arena[starts[i], starts[i + 1])`, sits at slot `slotOf[i]` of its probe
 * chain, and the table is at most 3/4 full. String keys are their UTF-8 bytes, so a string and
 * its encoding are the same key.
 */
export class ByteInterner {
  private arena = Buffer.allocUnsafe(1 << 16);
  private starts = new Int32Array(1024);
  private slotOf = new Int32Array(1024);
  /** Occurrences by index, except those counted in `direct` (see `countAt`). */
  private countOf = new Int32Array(1024);
  // Digit keys (see `digitValue`): the first key's non-digit prefix and length; by value, the
  // key's index + 1 and the occurrences counted through it (side by side: one cache line for both);
  // by index, the key's value + 1 (0: none).
  private digitLength = UNLEARNED;
  /** The prefix's bytes as a little-endian word (see `digitPrefix`), and how many there are. */
  private prefixWord = 0;
  private prefixLength = 0;
  private direct = new Int32Array(0);
  private digitOf = new Int32Array(1024);
  private table = new Int32Array(2048 * STRIDE);
  private mask = 2047;
  private count = 0;
  private scratch = Buffer.allocUnsafe(256);
  private readonly one: KeyHashes = new Int32Array(KEY_WORDS);
  /** After a lookup: the key's slot, or the empty slot that ended its probe chain. */
  private slot = 0;

  get size(): number {
    return this.count;
  }

  /** Hashes the key `buf[start, end)` into `out[at, at + KEY_WORDS)`. */
  hashKey(buf: Uint8Array, start: number, end: number, out: KeyHashes, at: number): void {
    const len = end - start;
    // Murmur3-style: the key is read as little-endian 32-bit words, which are also its inline bytes.
    let h = len;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let k = 0;
    for (let p = start; p < end; k += 1) {
      let w = 0;
      const q = p + 4 < end ? p + 4 : end;
      for (let shift = 0; p < q; p += 1, shift += 8) w |= (buf[p] as number) << shift;
      if (k === 0) w0 = w;
      else if (k === 1) w1 = w;
      else if (k === 2) w2 = w;
      else if (k === 3) w3 = w;
      w = Math.imul(w, 0xcc9e2d51);
      w = Math.imul((w << 15) | (w >>> 17), 0x1b873593);
      h ^= w;
      h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
    }
    h = fmix(h);
    out[at] = h;
    out[at + 1] = (h & ~0xff) | (len < 0xff ? len : 0xff);
    out[at + 2] = w0;
    out[at + 3] = w1;
    out[at + 4] = w2;
    out[at + 5] = w3;
  }

  /**
   * Reads the home slots of `n` hashed keys (at `first`, `first + step`, ...) in one tight loop,
   * so that their cache misses overlap; returns a value that means nothing (keep it, so the reads
   * are not optimised away).
   */
  touch(keys: KeyHashes, first: number, step: number, n: number): number {
    const { table, mask } = this;
    let sum = 0;
    for (let k = 0, at = first; k < n; k += 1, at += step) sum += table[((keys[at] as number) & mask) * STRIDE + INDEX] as number;
    return sum;
  }

  /**
   * `touch` for digit keys: reads the index entries of the `n` values at `first`, `first + step`,
   * ... (-1: none; a value outside the index is skipped) in one loop; for a large index (many
   * users) these reads miss the cache too.
   */
  touchDigitKeys(values: Int32Array, first: number, step: number, n: number): number {
    const direct = this.direct;
    let sum = 0;
    for (let k = 0, at = first; k < n; k += 1, at += step) {
      const v = values[at] as number;
      if (v >= 0 && 2 * v < direct.length) sum += direct[2 * v] as number;
    }
    return sum;
  }

  /** The index of a hashed key, or -1 when it was never interned. */
  lookupKey(buf: Uint8Array, start: number, end: number, keys: KeyHashes, at: number): number {
    const table = this.table;
    const mask = this.mask;
    const tag = keys[at + 1] as number;
    const w0 = keys[at + 2] as number;
    const len = end - start;
    let slot = (keys[at] as number) & mask;
    for (;;) {
      const t = slot * STRIDE;
      const e = table[t + INDEX] as number;
      if (e === 0) break;
      if (table[t + TAG] === tag && table[t + WORDS] === w0 && table[t + WORDS + 1] === keys[at + 3] && table[t + WORDS + 2] === keys[at + 4] && table[t + WORDS + 3] === keys[at + 5] && (len <= INLINE || this.sameTail(buf, start, len, e - 1))) {
        this.slot = slot;
        return e - 1;
      }
      slot = (slot + 1) & mask;
    }
    this.slot = slot;
    return -1;
  }

  /** Counts one occurrence of a hashed key, adding it when new; returns its index. */
  addKey(buf: Uint8Array, start: number, end: number, keys: KeyHashes, at: number): number {
    let i = this.lookupKey(buf, start, end, keys, at);
    if (i < 0) i = this.insert(buf, start, end, keys, at);
    this.countOf[i] = (this.countOf[i] as number) + 1;
    return i;
  }

  /**
   * Most ids are a constant prefix and a fixed number of digits (U0029108, 000123): such a key is
   * its digits' value, and `addDigitKey` finds it by indexing an array with that value instead of
   * hashing and probing. The array is small and dense where a table of hashed slots is large and
   * read at random, which is what makes the lookup cheap. The form (prefix and length) is learnt
   * from the first key asked about; the value identifies the key only within that form, so any
   * other key gets -1 and takes the hash table, and both ways reach the same index.
   */
  digitValue(buf: Uint8Array, start: number, end: number): number {
    if (end - start !== this.digitLength && !this.learn(buf, start, end)) return -1;
    return this.formValue(buf, start, end);
  }

  /** Bytes of a digit-form key; 0 or less until a form is learnt, or when keys have none. */
  get digitKeyLength(): number {
    return this.digitLength;
  }

  /**
   * The learnt form's prefix for a caller that reads digit keys itself (the validator's fastest
   * path, where a call per key costs more than the key): a key has the form when the 32-bit word
   * at its start, masked with `digitPrefixMask`, is `digitPrefix`, its next `digitKeyLength -
   * digitPrefixLength` bytes are digits (`digitRun`), and their value is below `digitRoom` or
   * `makeDigitRoom` finds room for it.
   */
  get digitPrefix(): number {
    return this.prefixWord;
  }

  get digitPrefixMask(): number {
    return this.prefixLength === 4 ? -1 : (1 << (8 * this.prefixLength)) - 1;
  }

  get digitPrefixLength(): number {
    return this.prefixLength;
  }

  /** Digit-key values below this have their place in the index already. */
  get digitRoom(): number {
    return this.direct.length >> 1;
  }

  /** The value of `buf[start, end)`, of the learnt form's length, when it has the form; else -1. */
  private formValue(buf: Uint8Array, start: number, end: number): number {
    const p = this.prefixLength;
    let w = 0;
    for (let k = 0; k < p; k += 1) w |= (buf[start + k] as number) << (8 * k);
    if (w !== this.prefixWord) return -1;
    const v = digitRun(buf, start + p, end);
    return v < 0 || 2 * v < this.direct.length ? v : this.makeDigitRoom(v);
  }

  /** Grows the digit-key index to hold `value` (returns it), or -1 when the value is beyond it. */
  makeDigitRoom(value: number): number {
    if (value >= MAX_DIRECT) return -1;
    let size = Math.max(1024, this.direct.length);
    while (size <= value) size *= 2;
    const grownDirect = new Int32Array(2 * Math.min(size, MAX_DIRECT));
    grownDirect.set(this.direct);
    this.direct = grownDirect;
    return value;
  }

  /** Counts one occurrence of the key `buf[start, end)`, whose `digitValue` is `value`; returns its index. */
  addDigitKey(value: number, buf: Uint8Array, start: number, end: number): number {
    const direct = this.direct;
    const at = 2 * value;
    let i = (direct[at] as number) - 1;
    if (i < 0) {
      i = this.intern(buf, start, end);
      direct[at] = i + 1;
      this.digitOf[i] = value + 1;
    }
    direct[at + 1] = (direct[at + 1] as number) + 1;
    return i;
  }

  /** The index of the key `buf[start, end)`, or -1 when it was never interned. */
  lookup(buf: Uint8Array, start: number, end: number): number {
    this.hashKey(buf, start, end, this.one, 0);
    return this.lookupKey(buf, start, end, this.one, 0);
  }

  /** The index of the key `buf[start, end)`, adding it (with count 0) when new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const i = this.lookup(buf, start, end);
    return i >= 0 ? i : this.insert(buf, start, end, this.one, 0);
  }

  /** Counts one occurrence of the key `buf[start, end)`; returns its index. */
  add(buf: Uint8Array, start: number, end: number): number {
    this.hashKey(buf, start, end, this.one, 0);
    return this.addKey(buf, start, end, this.one, 0);
  }

  lookupString(key: string): number {
    const n = this.encode(key);
    return this.lookup(this.scratch, 0, n);
  }

  internString(key: string): number {
    const n = this.encode(key);
    return this.intern(this.scratch, 0, n);
  }

  addString(key: string): number {
    const n = this.encode(key);
    return this.add(this.scratch, 0, n);
  }

  /** Occurrences counted for key `index`. */
  countAt(index: number): number {
    const v = this.digitOf[index] as number;
    return (this.countOf[index] as number) + (v > 0 ? (this.direct[2 * v - 1] as number) : 0);
  }

  /** Every key's count, by index (a copy). */
  counts(): Int32Array {
    const out = new Int32Array(this.count);
    for (let i = 0; i < out.length; i += 1) out[i] = this.countAt(i);
    return out;
  }

  /** Key `index` decoded as UTF-8. */
  key(index: number): string {
    return this.arena.toString('utf8', this.starts[index], this.starts[index + 1]);
  }

  private encode(key: string): number {
    const need = Buffer.byteLength(key, 'utf8');
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(need, this.scratch.length * 2));
    return this.scratch.write(key, 0, 'utf8');
  }

  /** Takes the form of the key `buf[start, end)` as the digit-key form, once; false when it has none. */
  private learn(buf: Uint8Array, start: number, end: number): boolean {
    if (this.digitLength !== UNLEARNED) return false;
    let p = start;
    while (p < end && (buf[p] as number) - 48 >>> 0 > 9) p += 1;
    const digits = end - p;
    if (p - start > MAX_PREFIX || digits < 1 || digits > MAX_DIGITS) {
      this.digitLength = NO_DIGIT_KEYS;
      return false;
    }
    let w = 0;
    for (let k = start; k < p; k += 1) w |= (buf[k] as number) << (8 * (k - start));
    this.prefixWord = w;
    this.prefixLength = p - start;
    this.digitLength = end - start;
    return true;
  }

  /** Bytes past the inline prefix, and the length (the tag only holds it below 255). */
  private sameTail(buf: Uint8Array, start: number, len: number, i: number): boolean {
    const at = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - at !== len) return false;
    const arena = this.arena;
    for (let k = INLINE; k < len; k += 1) if (buf[start + k] !== arena[at + k]) return false;
    return true;
  }

  /** Adds the key a lookup just failed to find, at the empty slot it stopped on. */
  private insert(buf: Uint8Array, start: number, end: number, keys: KeyHashes, k: number): number {
    const i = this.count;
    const len = end - start;
    if (i + 2 > this.starts.length) {
      this.starts = grown(this.starts);
      this.slotOf = grown(this.slotOf);
      this.countOf = grown(this.countOf);
      this.digitOf = grown(this.digitOf);
    }
    const at = this.starts[i] as number;
    if (at + len > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(at + len, this.arena.length * 2));
      this.arena.copy(arena, 0, 0, at);
      this.arena = arena;
    }
    for (let k = 0; k < len; k += 1) this.arena[at + k] = buf[start + k] as number;
    this.starts[i + 1] = at + len;
    this.count = i + 1;
    const s = this.slot * STRIDE;
    const table = this.table;
    table[s + TAG] = keys[k + 1] as number;
    table[s + INDEX] = i + 1;
    for (let w = 0; w < 4; w += 1) table[s + WORDS + w] = keys[k + 2 + w] as number;
    table[s + HASH] = keys[k] as number;
    this.slotOf[i] = this.slot;
    if (this.count * 4 > (this.mask + 1) * 3) this.grow();
    return i;
  }

  /** Doubles the table; slots move whole, placed by the hash they keep. */
  private grow(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(size * STRIDE);
    const mask = size - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      const e = old[at + INDEX] as number;
      if (e === 0) continue;
      let slot = (old[at + HASH] as number) & mask;
      while (table[slot * STRIDE + INDEX] !== 0) slot = (slot + 1) & mask;
      for (let w = 0; w < STRIDE; w += 1) table[slot * STRIDE + w] = old[at + w] as number;
      this.slotOf[e - 1] = slot;
    }
    this.table = table;
    this.mask = mask;
    // The slot found by the lookup before the insert moved too.
    this.slot = this.slotOf[this.count - 1] as number;
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
