import { readFile } from 'node:fs/promises';
import { error, warning, type Diagnostic } from '../diagnostics/index.ts';
import type { AvroField, DatasetType } from '../manifest/types.ts';
import {
  AVRO_NAME,
  AVRO_PRIMITIVES,
  MAX_FIELDS,
  MAX_INTERACTIONS_METADATA_FIELDS,
  RECORD_NAME_OF,
  RESERVED_FIELDS,
  SCHEMA_MAX_CHARS,
  SCHEMA_NAMESPACE,
  reservedField,
  resolveField,
} from './avro-rules.ts';
import { jsonPositions, positionAt, type JsonPosition } from './json-positions.ts';

const DATASET_TYPE_OF_RECORD: Readonly<Record<string, DatasetType>> = {
  Interactions: 'INTERACTIONS',
  Items: 'ITEMS',
  Users: 'USERS',
};

/**
 * Checks a parsed `.avsc` against Amazon Personalize's schema rules and returns every problem.
 * `text` (the file as read) gives findings a line and column and enables the length limit;
 * without it they point at the file only. The dataset type comes from `expectedType`, else from
 * the record name.
 */
export function validateAvroSchema(json: unknown, file: string, expectedType?: DatasetType, text?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const positions = text === undefined ? new Map<string, JsonPosition>() : jsonPositions(text);
  const at = (path: string, fieldPath?: string): { file: string; line?: number; column?: number; path?: string } => {
    const p = positions.get(path) ?? positions.get(path.split('/').slice(0, -1).join('/'));
    return { file, ...(p === undefined ? {} : { line: p.line, column: p.column }), ...(fieldPath === undefined ? {} : { path: fieldPath }) };
  };

  if (text !== undefined && text.length > SCHEMA_MAX_CHARS) {
    out.push(error('avro-schema-too-long', `The schema is ${text.length} characters; CreateSchema accepts at most ${SCHEMA_MAX_CHARS}.`, { ...at(''), hint: 'Remove whitespace or unused fields.' }));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    out.push(error('avro-not-record', 'The schema must be a JSON object describing an Avro record.', at('')));
    return out;
  }
  const schema = json as Record<string, unknown>;
  if (schema['type'] !== 'record') {
    out.push(error('avro-not-record', `The schema's "type" must be "record", not ${JSON.stringify(schema['type'] ?? null)}.`, at('type')));
  }

  const name = schema['name'];
  const fromName = typeof name === 'string' ? DATASET_TYPE_OF_RECORD[name] : undefined;
  const type = expectedType ?? fromName;
  if (type === undefined) {
    out.push(error('avro-record-name', `The record name must be Interactions, Items or Users, not ${JSON.stringify(name ?? null)}.`, { ...at('name'), hint: 'The name tells Personalize which dataset type the schema is for.' }));
  } else if (name !== RECORD_NAME_OF[type]) {
    out.push(error('avro-record-name', `A ${type} schema must be named "${RECORD_NAME_OF[type]}", not ${JSON.stringify(name ?? null)}.`, { ...at('name'), hint: `Set "name": "${RECORD_NAME_OF[type]}".` }));
  }
  const namespace = schema['namespace'];
  if (namespace === undefined) {
    out.push(warning('avro-namespace', `The schema has no namespace; Personalize's examples use "${SCHEMA_NAMESPACE}".`, { ...at(''), hint: `Add "namespace": "${SCHEMA_NAMESPACE}".` }));
  } else if (namespace !== SCHEMA_NAMESPACE) {
    out.push(error('avro-namespace', `The namespace must be "${SCHEMA_NAMESPACE}", not ${JSON.stringify(namespace)}.`, at('namespace')));
  }
  if (schema['version'] !== undefined && schema['version'] !== '1.0') {
    out.push(warning('avro-version', `The schema version is ${JSON.stringify(schema['version'])}; Personalize documents "1.0".`, at('version')));
  }

  const fields = schema['fields'];
  if (!Array.isArray(fields)) {
    out.push(error('avro-fields-missing', 'The schema must have a "fields" array.', at('fields')));
    return out;
  }
  checkFields(fields, type, at, out);
  return out;
}

type At = (path: string, fieldPath?: string) => { file: string; line?: number; column?: number; path?: string };

function checkFields(fields: readonly unknown[], type: DatasetType | undefined, at: At, out: Diagnostic[]): void {
  const seen = new Map<string, string>();
  let textual = 0;
  let metadata = 0;
  fields.forEach((raw, i) => {
    const p = `fields/${i}`;
    if (typeof raw !== 'object' || raw === null || typeof (raw as { name?: unknown }).name !== 'string') {
      out.push(error('avro-field-invalid', `Field ${i + 1} must be an object with a "name" and a "type".`, at(p)));
      return;
    }
    const field = raw as AvroField;
    const name = field.name;
    if (!AVRO_NAME.test(name)) {
      out.push(error('avro-field-name-invalid', `Field name ${JSON.stringify(name)} is not a valid Avro name (letters, digits and _, not starting with a digit).`, at(`${p}/name`, name)));
    }
    const stripped = name.replace(/[^A-Za-z0-9]/g, '');
    const clash = seen.get(stripped);
    if (clash !== undefined) {
      out.push(error('avro-duplicate-name', `Field ${JSON.stringify(name)} is the same as ${JSON.stringify(clash)} once non-alphanumeric characters are removed.`, { ...at(`${p}/name`, name), hint: 'Rename one of them; Personalize compares names without _ and other symbols.' }));
    } else seen.set(stripped, name);

    const f = resolveField(field);
    if (f.base === undefined) {
      out.push(error('avro-field-type-invalid', `Field ${name} has type ${JSON.stringify(field.type)}; use one of ${AVRO_PRIMITIVES.join(', ')}, or ["null", one of them].`, { ...at(`${p}/type`, name), hint: 'Personalize schemas are flat: no records, arrays, maps or enums.' }));
    }
    const reserved = type === undefined ? undefined : reservedField(type, name);
    if (reserved !== undefined && f.base !== undefined) {
      if (!reserved.types.includes(f.base)) {
        out.push(error('avro-reserved-field-type', `${name} must be of type ${reserved.types.join(' or ')}, not ${f.base}.`, { ...at(`${p}/type`, name), hint: `Set "type": "${reserved.types[0]}".` }));
      } else if (f.nullable && !reserved.nullable) {
        out.push(error('avro-required-field-nullable', `${name} cannot be nullable.`, { ...at(`${p}/type`, name), hint: `Set "type": "${f.base}".` }));
      }
    }
    if (field.categorical === true) {
      if (f.base !== undefined && f.base !== 'string') {
        out.push(error('avro-categorical-not-string', `Field ${name} is ${f.base}; only string fields can be categorical.`, at(`${p}/categorical`, name)));
      } else if (reserved !== undefined) {
        out.push(error('avro-categorical-reserved', `Reserved field ${name} cannot be categorical.`, { ...at(`${p}/categorical`, name), hint: 'Remove "categorical": true.' }));
      }
    }
    if (field.textual === true) {
      textual += 1;
      if (type !== undefined && type !== 'ITEMS') {
        out.push(error('avro-textual-not-items', `Field ${name} is textual; only Items schemas may have a textual field.`, at(`${p}/textual`, name)));
      } else if (f.base !== undefined && f.base !== 'string') {
        out.push(error('avro-textual-not-string', `Field ${name} is ${f.base}; only string fields can be textual.`, at(`${p}/textual`, name)));
      } else if (textual > 1) {
        out.push(error('avro-textual-multiple', `Field ${name} is a second textual field; Items allow at most one.`, at(`${p}/textual`, name)));
      }
      if (field.categorical === true) {
        out.push(error('avro-categorical-and-textual', `Field ${name} cannot be both categorical and textual.`, at(`${p}/textual`, name)));
      }
    }
    if (reserved === undefined) {
      metadata += 1;
      if (f.base === 'string' && field.categorical !== true && field.textual !== true) {
        out.push(warning('avro-string-ignored', `String field ${name} is neither categorical nor textual, so training ignores it.`, { ...at(`${p}/name`, name), hint: type === 'ITEMS' ? 'Add "categorical": true, or "textual": true for free text.' : 'Add "categorical": true.' }));
      }
    }
  });

  if (type === undefined) return;
  const names = new Set(fields.map((f) => (typeof f === 'object' && f !== null ? (f as { name?: unknown }).name : undefined)));
  const missing = RESERVED_FIELDS[type].filter((r) => r.required && !names.has(r.name));
  for (const r of missing) {
    out.push(error('avro-required-field-missing', `A ${type} schema needs a ${r.name} field of type ${r.types[0]}.`, { ...at('fields'), path: r.name, hint: `Add {"name": "${r.name}", "type": "${r.types[0]}"}.` }));
  }
  if (type === 'INTERACTIONS' && metadata > MAX_INTERACTIONS_METADATA_FIELDS) {
    out.push(error('avro-too-many-fields', `The schema has ${metadata} metadata fields besides the reserved ones; Interactions allow at most ${MAX_INTERACTIONS_METADATA_FIELDS}.`, at('fields')));
  }
  const max = MAX_FIELDS[type];
  if (max !== undefined && fields.length > max) {
    out.push(error('avro-too-many-fields', `The schema has ${fields.length} fields; ${type} allows at most ${max}.`, at('fields')));
  }
  if ((type === 'ITEMS' || type === 'USERS') && metadata === 0 && !RESERVED_FIELDS[type].some((r) => !r.required && names.has(r.name))) {
    out.push(error('avro-no-metadata', `A ${type} schema needs at least one metadata field besides ${RESERVED_FIELDS[type][0]?.name}.`, at('fields')));
  }
}

/** Reads, parses and checks a `.avsc` file; a file that is not JSON gives one finding at the parse error. */
export async function validateAvroSchemaFile(file: string, expectedType?: DatasetType): Promise<{ schema?: unknown; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { diagnostics: [error('avro-unreadable', `Cannot read the schema: ${(e as Error).message}`, { file })] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m === null ? {} : positionAt(text, Number(m[1]));
    return { diagnostics: [error('avro-json-invalid', `The schema is not valid JSON: ${(e as Error).message}`, { file, ...pos })] };
  }
  return { schema: json, diagnostics: validateAvroSchema(json, file, expectedType, text) };
}
