/**
 * Distinct identifiers with an occurrence count each. Each id is interned once to a dense index,
 * so per-row work is one Map lookup and an integer increment; memory grows with distinct ids,
 * never with rows. Invariant: `counts[i]` belongs to the i-th id first seen, for i < `size`.
 */
export class IdCounter {
  private readonly index = new Map<string, number>();
  private counts = new Int32Array(1024);

  get size(): number {
    return this.index.size;
  }

  /** Counts one occurrence and returns the id's dense index. */
  add(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(id, i);
      if (i >= this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    return i;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  count(id: string): number {
    const i = this.index.get(id);
    return i === undefined ? 0 : (this.counts[i] ?? 0);
  }

  ids(): IterableIterator<string> {
    return this.index.keys();
  }

  /** The counts of every id, in first-seen order (a copy). */
  countsArray(): Int32Array {
    return this.counts.slice(0, this.index.size);
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
