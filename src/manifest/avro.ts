import type { AvroField, AvroRecordSchema, DatasetType } from './types.ts';

/** Record names Personalize accepts, for the dataset types this tool manages. */
const DATASET_TYPE_OF_RECORD: Readonly<Record<string, DatasetType>> = {
  Interactions: 'INTERACTIONS',
  Items: 'ITEMS',
  Users: 'USERS',
};

/** JSON with object keys sorted at every level and no whitespace: equal schemas hash equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The typed view of a schema that has passed `validateAvroSchema` without errors, with the dataset
 * type its record name stands for; undefined if the record name is not one this tool manages.
 */
export function typedAvroRecord(json: unknown): { schema: AvroRecordSchema; datasetType: DatasetType } | undefined {
  const obj = json as Record<string, unknown>;
  const name = obj['name'];
  const datasetType = typeof name === 'string' ? DATASET_TYPE_OF_RECORD[name] : undefined;
  if (datasetType === undefined || typeof name !== 'string' || !Array.isArray(obj['fields'])) return undefined;
  const fields = (obj['fields'] as Record<string, unknown>[]).map(
    (f): AvroField => ({
      name: String(f['name']),
      type: f['type'] as string | string[],
      ...(f['categorical'] === true ? { categorical: true } : {}),
      ...(f['textual'] === true ? { textual: true } : {}),
    }),
  );
  const schema: AvroRecordSchema = {
    type: 'record',
    name,
    ...(typeof obj['namespace'] === 'string' ? { namespace: obj['namespace'] } : {}),
    fields,
    ...(typeof obj['version'] === 'string' ? { version: obj['version'] } : {}),
  };
  return { schema, datasetType };
}
