import type { SchemaField } from './avro.ts';

/** Limits from the dataset requirements: IDs, categorical and impression values, textual values. */
const MAX_ID_LENGTH = 256;
const MAX_CATEGORICAL_LENGTH = 1000;
const MAX_TEXTUAL_LENGTH = 20_000;
const ID_FIELDS: ReadonlySet<string> = new Set(['USER_ID', 'ITEM_ID', 'ACTION_ID']);

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Why a header cannot be imported into the schema, in the service's words; undefined if it can. */
export function headerProblem(fields: readonly SchemaField[], header: readonly string[]): string | undefined {
  const present = new Set(header);
  const missing = fields.filter((f) => !f.nullable && !present.has(f.name)).map((f) => f.name);
  if (missing.length > 0) return `Input CSV is missing the following columns:[${missing.join(', ')}].`;
  const known = new Set(fields.map((f) => f.name));
  const extra = header.filter((h) => !known.has(h));
  if (extra.length > 0) return `Input CSV has columns that are not in the schema:[${extra.join(', ')}].`;
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length > 0) return `Input CSV repeats the following columns:[${[...new Set(repeated)].join(', ')}].`;
  return undefined;
}

interface Column {
  readonly field: SchemaField;
  /** Index in the CSV record, or -1 for a nullable field the file leaves out. */
  readonly source: number;
  readonly maxLength: number;
}

/**
 * Checks and reorders the records of one CSV file against a schema: values are returned in schema
 * order (`''` for null), or the reason the service would fail the import at that record.
 */
export class RowChecker {
  private readonly columns: Column[];
  /** The file's columns are the schema's, in order: records can be returned as parsed (no copy). */
  readonly sameOrder: boolean;

  constructor(
    fields: readonly SchemaField[],
    private readonly header: readonly string[],
    private readonly location: string,
  ) {
    this.columns = fields.map((field) => ({
      field,
      source: header.indexOf(field.name),
      maxLength: ID_FIELDS.has(field.name)
        ? MAX_ID_LENGTH
        : field.categorical || field.name === 'IMPRESSION'
          ? MAX_CATEGORICAL_LENGTH
          : field.textual
            ? MAX_TEXTUAL_LENGTH
            : Infinity,
    }));
    this.sameOrder = header.length === fields.length && this.columns.every((c, i) => c.source === i);
  }

  /** Takes ownership of `values` (the parser's fresh array per record) and may return it reordered in place. */
  check(values: string[], line: number): string[] | string {
    if (values.length !== this.header.length) {
      return `Line ${line} of ${this.location} has ${values.length} columns; the header has ${this.header.length}.`;
    }
    const out: string[] = this.sameOrder ? values : new Array<string>(this.columns.length);
    for (let i = 0; i < this.columns.length; i += 1) {
      const column = this.columns[i] as Column;
      const value = column.source < 0 ? '' : (values[column.source] as string);
      const problem = this.checkValue(column, value);
      if (problem !== undefined) return `Line ${line} of ${this.location}, column ${column.field.name}: ${problem}`;
      out[i] = value;
    }
    return out;
  }

  private checkValue(column: Column, value: string): string | undefined {
    const { field } = column;
    if (value === '') return field.nullable ? undefined : 'a value is required (the schema does not allow null).';
    switch (field.type) {
      case 'string':
        return value.length > column.maxLength ? `the value is ${value.length} characters long; the limit is ${column.maxLength}.` : undefined;
      case 'int': {
        if (!INTEGER.test(value)) return `"${value}" is not a valid int.`;
        const n = Number(value);
        return n < INT32_MIN || n > INT32_MAX ? `"${value}" is out of range for int.` : undefined;
      }
      case 'long':
        return INTEGER.test(value) ? undefined : `"${value}" is not a valid long.`;
      case 'float':
      case 'double':
        return DECIMAL.test(value) ? undefined : `"${value}" is not a valid ${field.type}.`;
      case 'boolean':
        return value === 'true' || value === 'false' ? undefined : `"${value}" is not a valid boolean (use lower-case true or false).`;
    }
  }
}
