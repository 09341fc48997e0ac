import type { AvroField } from '../manifest/types.ts';
import type { Json, Props, UpdateSemantics } from './kind.ts';

/**
 * When a dataset's schema can change in place (UpdateDataset) rather than by replacing the
 * dataset and losing its data: only for ITEMS and USERS datasets, and only when the new schema
 * keeps every old field with the same type and attributes and every added field is nullable.
 * Pure: it reads the `datasetType` and `schemaFields` properties of both sides; `schemaFields`
 * is a list of `{name, type, categorical?, textual?}` as in the Avro schema.
 */
export function schemaUpdateSemantics(desired: Props, observed: Props): UpdateSemantics {
  const type = observed['datasetType'] ?? desired['datasetType'];
  if (type !== 'ITEMS' && type !== 'USERS') return 'replace';
  const before = fieldsOf(observed['schemaFields']);
  const after = fieldsOf(desired['schemaFields']);
  if (before === undefined || after === undefined) return 'replace';
  return isCompatible(before, after) ? 'in-place' : 'replace';
}

interface FieldShape {
  readonly name: string;
  /** Union members sorted, so `["null","string"]` equals `["string","null"]`. */
  readonly types: readonly string[];
  readonly categorical: boolean;
  readonly textual: boolean;
}

function fieldsOf(value: Json | undefined): Map<string, FieldShape> | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = new Map<string, FieldShape>();
  for (const f of value) {
    if (typeof f !== 'object' || f === null || Array.isArray(f) || typeof f['name'] !== 'string') return undefined;
    const t = f['type'];
    const types = typeof t === 'string' ? [t] : Array.isArray(t) && t.every((x) => typeof x === 'string') ? [...(t as string[])].sort() : undefined;
    if (types === undefined) return undefined;
    out.set(f['name'], { name: f['name'], types, categorical: f['categorical'] === true, textual: f['textual'] === true });
  }
  return out;
}

/** Every old field kept unchanged; every new field nullable. */
function isCompatible(before: ReadonlyMap<string, FieldShape>, after: ReadonlyMap<string, FieldShape>): boolean {
  for (const old of before.values()) {
    const now = after.get(old.name);
    if (now === undefined) return false;
    if (now.types.join('|') !== old.types.join('|') || now.categorical !== old.categorical || now.textual !== old.textual) return false;
  }
  for (const added of after.values()) if (!before.has(added.name) && !added.types.includes('null')) return false;
  return true;
}

/** The `schemaFields` property of a dataset: the Avro fields with only the attributes that matter. */
export function schemaFieldsJson(fields: readonly AvroField[]): Json {
  return fields.map((f) => ({
    name: f.name,
    type: typeof f.type === 'string' ? f.type : [...f.type],
    ...(f.categorical === undefined ? {} : { categorical: f.categorical }),
    ...(f.textual === undefined ? {} : { textual: f.textual }),
  }));
}

/** `schemaFieldsJson` of a schema body as the service returns it; null when it is not an Avro record. */
export function schemaFieldsOfBody(body: string): Json {
  try {
    const parsed: unknown = JSON.parse(body);
    const fields = (parsed as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) return null;
    if (!fields.every(isAvroField)) return null;
    return schemaFieldsJson(fields);
  } catch {
    return null;
  }
}

function isAvroField(f: unknown): f is AvroField {
  if (typeof f !== 'object' || f === null) return false;
  const { name, type } = f as { name?: unknown; type?: unknown };
  return typeof name === 'string' && (typeof type === 'string' || (Array.isArray(type) && type.every((t) => typeof t === 'string')));
}
