import { parseCsvStream } from '../data/csv.ts';
import type { CsvRecord } from '../data/csv.ts';
import type { ColumnKind } from './data-builder.ts';
import { EngineDataBuilder } from './data-builder.ts';
import type { EngineData, EngineResult } from './types.ts';

/** A metadata CSV and, optionally, the kind of each column (from its Avro schema). */
export interface MetadataSource {
  readonly source: AsyncIterable<Uint8Array>;
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
}

export interface CsvSources {
  readonly interactions: AsyncIterable<Uint8Array>;
  readonly items?: MetadataSource;
  readonly users?: MetadataSource;
}

/** The loaded data and how many records were skipped as unusable (bad timestamp, missing id). */
export interface LoadedData {
  readonly data: EngineData;
  readonly skippedRecords: number;
}

/**
 * Loads Personalize-layout CSV files (header row, then records) into columnar engine data.
 * Validation proper happens at import time elsewhere; here an unusable record is only counted.
 */
export async function loadCsvData(sources: CsvSources): Promise<EngineResult<LoadedData>> {
  const builder = new EngineDataBuilder();
  let skipped = 0;
  let header: Map<string, number> | undefined;
  let missing: string[] = [];
  await parseCsvStream(sources.interactions, (record) => {
    if (header === undefined) {
      header = headerIndex(record);
      missing = ['USER_ID', 'ITEM_ID', 'TIMESTAMP'].filter((c) => !header?.has(c));
      return;
    }
    if (missing.length > 0) return;
    const f = record.fields;
    const user = f[header.get('USER_ID') as number];
    const item = f[header.get('ITEM_ID') as number];
    const timestamp = Number(f[header.get('TIMESTAMP') as number]);
    if (!user || !item || !Number.isFinite(timestamp)) {
      skipped += 1;
      return;
    }
    const typeAt = header.get('EVENT_TYPE');
    const valueAt = header.get('EVENT_VALUE');
    const rawValue = valueAt === undefined ? '' : (f[valueAt] ?? '');
    builder.addInteraction(user, item, timestamp, typeAt === undefined ? undefined : f[typeAt], rawValue === '' ? undefined : Number(rawValue));
  });
  if (header === undefined || missing.length > 0) {
    return {
      ok: false,
      failure: { code: 'no-interactions', message: `Input CSV is missing the following columns:[${(header === undefined ? ['USER_ID', 'ITEM_ID', 'TIMESTAMP'] : missing).join(', ')}].` },
    };
  }
  if (sources.items !== undefined) {
    skipped += await loadMetadata(sources.items, 'ITEM_ID', (names, kinds) => builder.itemColumns(names, kinds), (id, v) => builder.addItem(id, v));
  }
  if (sources.users !== undefined) {
    skipped += await loadMetadata(sources.users, 'USER_ID', (names, kinds) => builder.userColumns(names, kinds), (id, v) => builder.addUser(id, v));
  }
  return { ok: true, value: { data: builder.build(), skippedRecords: skipped } };
}

function headerIndex(record: CsvRecord): Map<string, number> {
  return new Map(record.fields.map((name, i) => [name.trim().toUpperCase(), i]));
}

async function loadMetadata(
  input: MetadataSource,
  idColumn: string,
  declare: (names: readonly string[], kinds: Readonly<Record<string, ColumnKind>>) => void,
  add: (id: string, values: readonly string[]) => void,
): Promise<number> {
  let idAt = -1;
  let others: number[] = [];
  let skipped = 0;
  let first = true;
  await parseCsvStream(input.source, (record) => {
    if (first) {
      first = false;
      const names = record.fields.map((n) => n.trim().toUpperCase());
      idAt = names.indexOf(idColumn);
      others = names.flatMap((_, i) => (i === idAt ? [] : [i]));
      declare(
        others.map((i) => names[i] as string),
        input.kinds ?? {},
      );
      return;
    }
    const id = record.fields[idAt];
    if (idAt < 0 || !id) {
      skipped += 1;
      return;
    }
    add(
      id,
      others.map((i) => record.fields[i] ?? ''),
    );
  });
  return skipped;
}
