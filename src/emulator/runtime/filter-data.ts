import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fieldsRead, type FilterData, type FilterExpression, type FilterInteraction, type MetadataRow } from '../../filter-expression/index.ts';
import { readDataFile } from '../personalize/data-store.ts';
import { DATASET, type DatasetAttrs, type DatasetType } from '../personalize/datasets.ts';
import type { ResourceRecord } from '../personalize/store.ts';
import { columnsOfProperties, readStream, streamPath, type StoredEvent, type StoredRecord, type StreamKind } from './event-log.ts';
import type { StateView } from './state-view.ts';

type DatasetRecord = ResourceRecord<DatasetAttrs>;

/** One dataset's rows keyed by id: users' interactions, or metadata rows. */
type Index<T> = ReadonlyMap<string, T>;

/**
 * What filters read for one dataset group: imported rows plus everything streamed since
 * (PutEvents, PutItems, PutUsers). Bulk files never change once written, so each is read once and
 * kept by path; streams are re-read when they grow. Nothing is read until a filter needs it.
 */
export class FilterDataCache {
  private readonly bulk = new Map<string, Promise<Index<unknown>>>();
  private readonly streams = new Map<string, { stamp: string; index: Index<unknown> }>();

  /** `dir` is the Personalize state directory. */
  constructor(private readonly dir: string) {}

  /** The group's data as filters see it now; each dataset is read on first use. */
  async forGroup(view: StateView, groupArn: string, need: { interactions: boolean; items: boolean; users: boolean }): Promise<FilterData> {
    const datasets = view.list(DATASET) as DatasetRecord[];
    const of = (type: DatasetType): DatasetRecord | undefined => datasets.find((d) => d.attrs.datasetGroupArn === groupArn && d.attrs.datasetType === type);
    const [interactions, items, users] = await Promise.all([
      need.interactions ? this.interactions(of('INTERACTIONS')) : undefined,
      need.items ? this.metadata(of('ITEMS'), 'ITEM_ID', 'items') : undefined,
      need.users ? this.metadata(of('USERS'), 'USER_ID', 'users') : undefined,
    ]);
    return {
      item: (id) => items?.(id),
      user: (id) => users?.(id),
      interactions: (id) => interactions?.(id) ?? [],
    };
  }

  /** The group's data that `expression` reads: interactions, item or user metadata, only those. */
  forExpression(view: StateView, groupArn: string, expression: FilterExpression): Promise<FilterData> {
    const read = fieldsRead(expression);
    return this.forGroup(view, groupArn, { interactions: read.interactions, items: read.items.length > 0, users: read.users.length > 0 });
  }

  private async interactions(dataset: DatasetRecord | undefined): Promise<((userId: string) => readonly FilterInteraction[]) | undefined> {
    if (dataset === undefined) return undefined;
    const bulk = (await this.bulkIndex(dataset, (rows) => groupInteractions(rows))) as Index<FilterInteraction[]>;
    const streamed = this.streamIndex(dataset, 'events', (lines: StoredEvent[]) => {
      const byUser = new Map<string, FilterInteraction[]>();
      for (const e of lines) {
        if (e.itemId === '') continue;
        push(byUser, e.userId, { itemId: e.itemId, eventType: e.eventType, timestamp: e.timestamp, ...(e.eventValue === undefined ? {} : { eventValue: e.eventValue }) });
      }
      return byUser;
    }) as Index<FilterInteraction[]>;
    return (userId) => {
      const a = bulk.get(userId);
      const b = streamed.get(userId);
      if (b === undefined) return a ?? [];
      return a === undefined ? b : [...a, ...b];
    };
  }

  private async metadata(dataset: DatasetRecord | undefined, idColumn: string, kind: StreamKind): Promise<((id: string) => MetadataRow | undefined) | undefined> {
    if (dataset === undefined) return undefined;
    const bulk = (await this.bulkIndex(dataset, (rows) => new Map(rows.map((r) => [r[idColumn] ?? '', r])))) as Index<MetadataRow>;
    const streamed = this.streamIndex(dataset, kind, (lines: StoredRecord[]) => new Map(lines.map((r) => [r.id, columnsOfProperties(r.properties)]))) as Index<MetadataRow>;
    return (id) => {
      const put = streamed.get(id);
      const row = bulk.get(id);
      // A record put later overrides the imported columns it names and keeps the others.
      return put === undefined ? row : { ...row, ...put };
    };
  }

  private bulkIndex(dataset: DatasetRecord, build: (rows: MetadataRow[]) => Index<unknown>): Promise<Index<unknown>> {
    const data = dataset.attrs.data;
    if (data === undefined) return Promise.resolve(new Map());
    let entry = this.bulk.get(data.file);
    if (entry === undefined) {
      entry = readRows(join(this.dir, data.file), data.columns).then(build);
      this.bulk.set(data.file, entry);
      // Only the current file of each dataset is worth keeping: older ones were replaced by an import.
      for (const file of this.bulk.keys()) if (file !== data.file && file.startsWith(join(data.file, '..'))) this.bulk.delete(file);
    }
    return entry;
  }

  private streamIndex<T>(dataset: DatasetRecord, kind: StreamKind, build: (lines: T[]) => Index<unknown>): Index<unknown> {
    const path = streamPath(this.dir, dataset, kind);
    let stamp = 'absent';
    try {
      const stat = statSync(path);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Nothing streamed into this dataset yet.
    }
    const cached = this.streams.get(path);
    if (cached?.stamp === stamp) return cached.index;
    const index = build(readStream<T>(path));
    this.streams.set(path, { stamp, index });
    return index;
  }
}

async function readRows(path: string, columns: readonly string[]): Promise<MetadataRow[]> {
  const names = columns.map((c) => c.toUpperCase());
  const rows: MetadataRow[] = [];
  for await (const fields of readDataFile(path)) {
    const row: Record<string, string> = {};
    names.forEach((name, i) => (row[name] = fields[i] ?? ''));
    rows.push(row);
  }
  return rows;
}

function groupInteractions(rows: readonly MetadataRow[]): Index<FilterInteraction[]> {
  const byUser = new Map<string, FilterInteraction[]>();
  for (const row of rows) {
    const value = row['EVENT_VALUE'];
    push(byUser, row['USER_ID'] ?? '', {
      itemId: row['ITEM_ID'] ?? '',
      eventType: row['EVENT_TYPE'] ?? '',
      timestamp: Number(row['TIMESTAMP'] ?? 0),
      ...(value === undefined || value === '' ? {} : { eventValue: Number(value) }),
    });
  }
  return byUser;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
