/** The primitive Avro types Personalize accepts in a schema field. */
export type FieldType = 'int' | 'long' | 'float' | 'double' | 'boolean' | 'string';

/** One schema field. Invariant: `nullable` is true exactly when the Avro type is a union with "null". */
export interface SchemaField {
  readonly name: string;
  readonly type: FieldType;
  readonly nullable: boolean;
  readonly categorical: boolean;
  readonly textual: boolean;
}

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>(['int', 'long', 'float', 'double', 'boolean', 'string']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads a Personalize Avro schema: a flat record whose fields are primitives or a union of one
 * primitive with "null". Returns the fields, or the reason the service would refuse the schema.
 */
export function parseAvroSchema(text: string): SchemaField[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `The schema is not valid JSON: ${(err as Error).message}`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'The schema must be a JSON object.';
  const record = doc as Record<string, unknown>;
  if (record.type !== 'record') return 'The schema type must be "record".';
  if (typeof record.name !== 'string' || record.name === '') return 'The schema must have a name.';
  if (!Array.isArray(record.fields) || record.fields.length === 0) return 'The schema must have a non-empty "fields" array.';
  const fields: SchemaField[] = [];
  const seen = new Set<string>();
  for (const raw of record.fields as unknown[]) {
    if (typeof raw !== 'object' || raw === null) return 'Each schema field must be an object.';
    const field = raw as Record<string, unknown>;
    const name = field.name;
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) return `Invalid field name ${JSON.stringify(name)}.`;
    // The service compares names with non-alphanumerics stripped, so USER_ID and USERID collide.
    const key = name.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    if (seen.has(key)) return `Field name ${name} is not unique.`;
    seen.add(key);
    const parsed = fieldType(field.type);
    if (parsed === undefined) return `Field ${name} has an unsupported type ${JSON.stringify(field.type)}; use a primitive or a union with "null".`;
    fields.push({ name, ...parsed, categorical: field.categorical === true, textual: field.textual === true });
  }
  return fields;
}

function fieldType(type: unknown): { type: FieldType; nullable: boolean } | undefined {
  if (typeof type === 'string') return FIELD_TYPES.has(type) ? { type: type as FieldType, nullable: false } : undefined;
  if (!Array.isArray(type) || type.length !== 2 || !type.includes('null')) return undefined;
  const other = type.find((t) => t !== 'null');
  return typeof other === 'string' && FIELD_TYPES.has(other) ? { type: other as FieldType, nullable: true } : undefined;
}
