import { GrowableFloat64, GrowableInt32 } from './growable.ts';
import { IdDictionary } from './id-dictionary.ts';
import type { EngineData, MetadataColumn, MetadataTable } from './types.ts';

/** How a metadata column is used: as in the Avro schema (`categorical`, `textual`, numeric types). */
export type ColumnKind = 'categorical' | 'textual' | 'numeric' | 'ignored';

/** Reserved columns that are never features. */
const NON_FEATURE_COLUMNS = new Set(['USER_ID', 'ITEM_ID', 'CREATION_TIMESTAMP']);

/**
 * Collects metadata rows as raw strings and types the columns once at the end, because a
 * column's kind may be inferred from all of its values.
 */
class MetadataBuilder {
  private readonly rowOf = new Map<number, number>();
  private readonly entities: number[] = [];
  private readonly raw: string[][];

  constructor(
    private readonly names: readonly string[],
    private readonly kinds: Readonly<Record<string, ColumnKind>>,
  ) {
    this.raw = names.map(() => []);
  }

  add(entity: number, values: readonly string[]): void {
    let row = this.rowOf.get(entity);
    if (row === undefined) {
      row = this.entities.length;
      this.rowOf.set(entity, row);
      this.entities.push(entity);
    }
    this.names.forEach((_, c) => {
      (this.raw[c] as string[])[row] = values[c] ?? '';
    });
  }

  build(): MetadataTable | undefined {
    if (this.entities.length === 0) return undefined;
    const columns: MetadataColumn[] = [];
    this.names.forEach((name, c) => {
      const raw = this.raw[c] as string[];
      const kind = this.kinds[name] ?? inferKind(name, raw);
      if (kind === 'ignored') return;
      if (kind === 'numeric') {
        columns.push({ name, kind, values: Float64Array.from(raw, (v) => (v.trim() === '' ? NaN : Number(v))) });
        return;
      }
      const values = new IdDictionary();
      const offsets = new Int32Array(raw.length + 1);
      const codes = new GrowableInt32();
      raw.forEach((v, r) => {
        const seen = new Set<number>();
        for (const token of kind === 'textual' ? tokenize(v) : v.split('|')) {
          if (token === '') continue;
          const code = values.intern(token);
          if (!seen.has(code)) {
            seen.add(code);
            codes.push(code);
          }
        }
        offsets[r + 1] = codes.length;
      });
      columns.push({ name, kind, values, offsets, codes: codes.toArray() });
    });
    return { rows: this.entities.length, entity: Int32Array.from(this.entities), columns };
  }
}

/** Numbers stay numeric; free text (most values distinct) is textual; the rest is categorical. */
function inferKind(name: string, raw: readonly string[]): ColumnKind {
  if (NON_FEATURE_COLUMNS.has(name)) return 'ignored';
  const present = raw.filter((v) => v.trim() !== '');
  if (present.length === 0) return 'ignored';
  if (present.every((v) => Number.isFinite(Number(v)))) return 'numeric';
  const distinct = new Set(present).size;
  return distinct > 0.5 * present.length && present.some((v) => v.includes(' ')) ? 'textual' : 'categorical';
}

/** Lower-cased words of at least two letters or digits, as a bag of words. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length >= 2);
}

/**
 * Builds {@link EngineData} one record at a time; used by the CSV loader and by tests. Ids are
 * interned in first-seen order, so the same records in the same order give the same indices.
 */
export class EngineDataBuilder {
  readonly users = new IdDictionary();
  readonly items = new IdDictionary();
  readonly eventTypes = new IdDictionary();
  private readonly user = new GrowableInt32();
  private readonly item = new GrowableInt32();
  private readonly timestamp = new GrowableFloat64();
  private readonly eventType = new GrowableInt32();
  private readonly eventValue = new GrowableFloat64();
  private itemMeta: MetadataBuilder | undefined;
  private userMeta: MetadataBuilder | undefined;

  addInteraction(userId: string, itemId: string, timestamp: number, eventType?: string, eventValue?: number): void {
    this.user.push(this.users.intern(userId));
    this.item.push(this.items.intern(itemId));
    this.timestamp.push(timestamp);
    this.eventType.push(eventType === undefined || eventType === '' ? -1 : this.eventTypes.intern(eventType));
    this.eventValue.push(eventValue ?? NaN);
  }

  /** Declares the Items columns (without ITEM_ID); kinds not given are inferred from the values. */
  itemColumns(names: readonly string[], kinds: Readonly<Record<string, ColumnKind>> = {}): void {
    this.itemMeta = new MetadataBuilder(names, kinds);
  }

  userColumns(names: readonly string[], kinds: Readonly<Record<string, ColumnKind>> = {}): void {
    this.userMeta = new MetadataBuilder(names, kinds);
  }

  addItem(itemId: string, values: readonly string[]): void {
    if (this.itemMeta === undefined) throw new Error('itemColumns must be declared before addItem');
    this.itemMeta.add(this.items.intern(itemId), values);
  }

  addUser(userId: string, values: readonly string[]): void {
    if (this.userMeta === undefined) throw new Error('userColumns must be declared before addUser');
    this.userMeta.add(this.users.intern(userId), values);
  }

  build(): EngineData {
    const itemMetadata = this.itemMeta?.build();
    const userMetadata = this.userMeta?.build();
    return {
      users: this.users,
      items: this.items,
      eventTypes: this.eventTypes,
      interactions: {
        length: this.user.length,
        user: this.user.toArray(),
        item: this.item.toArray(),
        timestamp: this.timestamp.toArray(),
        eventType: this.eventType.toArray(),
        eventValue: this.eventValue.toArray(),
      },
      ...(itemMetadata === undefined ? {} : { itemMetadata }),
      ...(userMetadata === undefined ? {} : { userMetadata }),
    };
  }
}
