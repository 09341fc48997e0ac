import { ByteInterner } from './byte-interner.ts';

/**
 * Distinct identifiers with an occurrence count each. Each id is interned once to a dense index
 * (by its UTF-8 bytes, so the validator's byte-level path and string callers share one table);
 * per-row work is one hash lookup that also counts, and memory grows with distinct ids, never
 * with rows. Indexes are dense and in first-seen order.
 */
export class IdCounter {
  /** The table itself: the byte-level path hashes and looks up ids in batches through it. */
  readonly table = new ByteInterner();

  get size(): number {
    return this.table.size;
  }

  /** Counts one occurrence and returns the id's dense index. */
  add(id: string): number {
    return this.table.addString(id);
  }

  has(id: string): boolean {
    return this.table.lookupString(id) >= 0;
  }

  count(id: string): number {
    const i = this.table.lookupString(id);
    return i < 0 ? 0 : this.table.countAt(i);
  }

  /** Occurrences of the id with dense index `i`. */
  countAt(i: number): number {
    return this.table.countAt(i);
  }

  /** The ids in first-seen order. */
  *ids(): IterableIterator<string> {
    for (let i = 0; i < this.table.size; i += 1) yield this.table.key(i);
  }

  /** The counts of every id, in first-seen order (a copy). */
  countsArray(): Int32Array {
    return this.table.counts();
  }
}

/** A growable array of small counters indexed by a dense id index (one per filter, say). */
export class DenseCounts {
  private data = new Int32Array(1024);

  increment(i: number): number {
    if (i >= this.data.length) {
      let size = this.data.length * 2;
      while (size <= i) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.data);
      this.data = grown;
    }
    const v = (this.data[i] ?? 0) + 1;
    this.data[i] = v;
    return v;
  }
}
