/**
 * A two-way mapping between external string ids and dense indices 0..size-1, in first-seen
 * order. Invariant: `idOf(indexOf(id)) === id` for every interned id.
 */
export class IdDictionary {
  private readonly ids: string[];
  private readonly index: Map<string, number>;

  constructor(ids: readonly string[] = []) {
    this.ids = [];
    this.index = new Map();
    for (const id of ids) this.intern(id);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The index of `id`, adding it when new. */
  intern(id: string): number {
    const found = this.index.get(id);
    if (found !== undefined) return found;
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    return i;
  }

  /** The index of `id`, or -1 when it was never interned. */
  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  idOf(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`no id at index ${index}`);
    return id;
  }

  toArray(): readonly string[] {
    return this.ids;
  }
}
