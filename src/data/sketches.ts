/**
 * Fixed-size sketches for questions whose exact answer would need memory proportional to the row
 * count: how many distinct (user, item) pairs or (user, item, timestamp) events there are, and
 * which items are the most frequent in a week.
 */

/**
 * First half of a 32-bit hash of three integers (murmur3 finaliser mixing), for sketch input:
 * `hashThird(hashPair(a, b), c)`. Split so that hashes of one pair with several third values
 * mix the pair once.
 */
export function hashPair(a: number, b: number): number {
  const h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  return Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
}

/** Second half of the hash begun by `hashPair`: mixes in `c` (any integer up to 2^53) and finishes. */
export function hashThird(pair: number, c: number): number {
  let h = Math.imul(pair ^ (pair >>> 16) ^ (c | 0), 0x85ebca6b);
  h ^= Math.floor(c / 4294967296);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 2^-r for every register value r, so an estimate does not call Math.pow 65,536 times. */
const INVERSE_POWERS = Float64Array.from({ length: 64 }, (_, r) => 2 ** -r);

/**
 * HyperLogLog with 2^16 registers (64 KB): about 0.4% relative error, exact-looking for small
 * counts thanks to linear counting. Mergeable, so per-file sketches can be combined later.
 */
export class HyperLogLog {
  private static readonly P = 16;
  private readonly registers = new Uint8Array(1 << HyperLogLog.P);

  /** Adds the first `n` hashes (32-bit words; the sign bit is the hash's top bit). */
  addAll(hashes: Int32Array, n: number): void {
    const registers = this.registers;
    for (let k = 0; k < n; k += 1) {
      const hash = hashes[k] as number;
      const idx = hash >>> (32 - HyperLogLog.P);
      const rank = Math.clz32((hash << HyperLogLog.P) | (1 << (HyperLogLog.P - 1))) + 1;
      if (rank > (registers[idx] as number)) registers[idx] = rank;
    }
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    const registers = this.registers;
    for (let i = 0; i < m; i += 1) {
      const r = registers[i] as number;
      sum += INVERSE_POWERS[r] as number;
      if (r === 0) zeros += 1;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

/**
 * Misra-Gries heavy hitters with `capacity` counters: any key with more than n/(capacity+1)
 * occurrences is kept, and counts are underestimates by at most that much. The decrement-all
 * step runs at most n/(capacity+1) times, so an update is O(1) amortised. Keys are non-negative
 * integers (dense item indexes); counters live in typed arrays with an open-addressing index,
 * because this runs once per row and a Map costs several times more there.
 */
export class HeavyHitters {
  private readonly keys: Int32Array;
  private readonly counts: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private used = 0;
  total = 0;

  constructor(private readonly capacity = 100) {
    this.keys = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    let size = 4;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  add(key: number): void {
    this.total += 1;
    const slots = this.slots;
    let slot = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const e = slots[slot] as number;
      if (e === 0) break;
      if (this.keys[e - 1] === key) {
        this.counts[e - 1] = (this.counts[e - 1] as number) + 1;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.used < this.capacity) {
      this.keys[this.used] = key;
      this.counts[this.used] = 1;
      this.used += 1;
      slots[slot] = this.used;
      return;
    }
    this.decrementAll();
  }

  /** The `n` keys with the highest (approximate) counts, highest first, ties by key. */
  top(n: number): number[] {
    const entries: [number, number][] = [];
    for (let k = 0; k < this.used; k += 1) entries.push([this.keys[k] as number, this.counts[k] as number]);
    return entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([k]) => k);
  }

  /** Every counter loses one and those reaching zero go; the index is rebuilt over the survivors. */
  private decrementAll(): void {
    let kept = 0;
    for (let k = 0; k < this.used; k += 1) {
      const c = (this.counts[k] as number) - 1;
      if (c <= 0) continue;
      this.keys[kept] = this.keys[k] as number;
      this.counts[kept] = c;
      kept += 1;
    }
    this.used = kept;
    this.slots.fill(0);
    for (let k = 0; k < kept; k += 1) {
      let slot = Math.imul(this.keys[k] as number, 0x9e3779b1) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = k + 1;
    }
  }
}
