import type { DatasetType, Domain } from '../manifest/types.ts';
import {
  CATEGORICAL_MAX_LENGTH,
  ID_FIELDS,
  ID_MAX_LENGTH,
  MULTI_VALUE_FIELDS,
  TEXTUAL_MAX_LENGTH,
  TIMESTAMP_FIELDS,
  reservedField,
  type ResolvedField,
} from './avro-rules.ts';
import { shorten } from './findings.ts';

/** How a column's values are checked; decided once per file from the schema. */
export type ValueKind = 'timestamp' | 'int' | 'long' | 'float' | 'double' | 'boolean' | 'string';

export interface ColumnRule {
  readonly field: ResolvedField;
  readonly kind: ValueKind;
  /** Most characters a value may have (with `|` separators), and which limit that is. */
  readonly maxLength: number;
  readonly lengthCode: 'value-id-too-long' | 'value-categorical-too-long' | 'value-textual-too-long' | undefined;
  /** Empty means null; required fields and non-nullable ones may not be empty. */
  readonly nullable: boolean;
  /** The domain that requires a value in every row, when the schema alone would allow null. */
  readonly requiredBy: Domain | undefined;
}

/** `domainRequired`: columns the dataset group's domain requires in every row (`domainRequiredColumns`). */
export function columnRule(field: ResolvedField, type: DatasetType, domain?: Domain, domainRequired: ReadonlySet<string> = new Set()): ColumnRule {
  const reserved = reservedField(type, field.name);
  const kind: ValueKind = TIMESTAMP_FIELDS.has(field.name) && reserved !== undefined ? 'timestamp' : (field.base ?? 'string');
  let maxLength = Number.POSITIVE_INFINITY;
  let lengthCode: ColumnRule['lengthCode'];
  if (field.base === 'string') {
    if (ID_FIELDS.has(field.name)) {
      maxLength = ID_MAX_LENGTH;
      lengthCode = 'value-id-too-long';
    } else if (field.categorical || MULTI_VALUE_FIELDS.has(field.name)) {
      maxLength = CATEGORICAL_MAX_LENGTH;
      lengthCode = 'value-categorical-too-long';
    } else if (field.textual) {
      maxLength = TEXTUAL_MAX_LENGTH;
      lengthCode = 'value-textual-too-long';
    }
  }
  const requiredBy = field.nullable && domainRequired.has(field.name) ? domain : undefined;
  return { field, kind, maxLength, lengthCode, nullable: field.nullable && requiredBy === undefined, requiredBy };
}

/** A type problem with a value, or undefined when the value fits its kind. */
export interface ValueProblem {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

const INT_MAX = 2147483647;
const LONG_MAX = 9223372036854775807n;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function checkTyped(kind: 'int' | 'long' | 'float' | 'double' | 'boolean', value: string, column: string): ValueProblem | undefined {
  switch (kind) {
    case 'int':
    case 'long': {
      if (isInteger(value)) {
        const ok = kind === 'int' ? Math.abs(Number(value)) <= INT_MAX : value.length < 19 || BigInt(value) <= LONG_MAX;
        if (ok) return undefined;
        return { code: `value-not-${kind}`, message: `${column} value ${shorten(value)} is out of range for ${kind}.`, hint: kind === 'int' ? 'Use "long" in the schema.' : 'Store it as a string.' };
      }
      return { code: `value-not-${kind}`, message: `${column} value ${shorten(value)} is not an integer (${kind}).`, hint: 'Write whole numbers without separators or decimals.' };
    }
    case 'float':
    case 'double':
      return DECIMAL.test(value) ? undefined : { code: `value-not-${kind}`, message: `${column} value ${shorten(value)} is not a number (${kind}).`, hint: 'Use a plain decimal number with "." as the decimal mark.' };
    case 'boolean':
      if (value === 'true' || value === 'false') return undefined;
      if (value.toLowerCase() === 'true' || value.toLowerCase() === 'false') {
        return { code: 'value-boolean-case', message: `${column} value ${shorten(value)} must be lower-case true or false.`, hint: `Write ${value.toLowerCase()}.` };
      }
      return { code: 'value-not-boolean', message: `${column} value ${shorten(value)} is not a boolean.`, hint: 'Write true or false (lower-case).' };
  }
}

function isInteger(value: string): boolean {
  const n = value.length;
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return false;
  for (; i < n; i += 1) {
    const d = value.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
}
