import type { Buffer } from 'node:buffer';
import { digits, isWord, PlainLineReader } from '../../data/plain-line-reader.ts';
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
      maxLength: maxLengthOf(field),
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

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const B_STRING = 0;
const B_INT = 1;
const B_LONG = 2;
const B_DECIMAL = 3;
const B_BOOLEAN = 4;
const KIND_OF: Readonly<Record<SchemaField['type'], number>> = { string: B_STRING, int: B_INT, long: B_LONG, float: B_DECIMAL, double: B_DECIMAL, boolean: B_BOOLEAN };

/**
 * The import's byte-level path for a file whose header is the schema's columns in order: takes a
 * plain line (see `PlainLineReader`) straight from the chunk's bytes when every value is one
 * `RowChecker.check` accepts. Any other line is declined before anything is counted and goes
 * through the CSV parser and `RowChecker`, so every failure reason still comes from there.
 * Declining a value the checker would accept only costs time (decimals with exponents, integers
 * with leading `+`, say).
 */
export class ByteRowReader extends PlainLineReader {
  /** Records taken since the caller last reset it. */
  rows = 0;
  private readonly kinds: Uint8Array;
  private readonly maxLength: Float64Array;
  private readonly nullable: Uint8Array;

  /** `onId` gets the value of column `idIndex` of every record taken (INCREMENTAL imports). */
  constructor(
    fields: readonly SchemaField[],
    private readonly idIndex: number = -1,
    private readonly onId?: (id: string) => void,
  ) {
    super(fields.length);
    this.kinds = Uint8Array.from(fields, (f) => KIND_OF[f.type]);
    this.maxLength = Float64Array.from(fields, (f) => maxLengthOf(f));
    this.nullable = Uint8Array.from(fields, (f) => (f.nullable ? 1 : 0));
  }

  protected take(buf: Buffer, start: number): boolean {
    if (!this.valuesOk(buf, start)) return false;
    if (this.onId !== undefined && this.idIndex >= 0) {
      this.onId(buf.toString('latin1', this.startOf(this.idIndex, start), this.ends[this.idIndex] as number));
    }
    this.rows += 1;
    return true;
  }

  /** Nothing is batched: a line is counted when it is taken. */
  flush(): void {}

  private valuesOk(buf: Buffer, start: number): boolean {
    const { kinds, ends, width } = this;
    let s = start;
    for (let j = 0; j < width; s = (ends[j] as number) + 1, j += 1) {
      const e = ends[j] as number;
      const len = e - s;
      if (len === 0) {
        if (this.nullable[j] === 0) return false;
        continue;
      }
      const kind = kinds[j] as number;
      if (kind === B_STRING) {
        if (len > (this.maxLength[j] as number)) return false;
      } else if (kind === B_INT) {
        // Up to 9 digits is always inside int32; longer ones go to the checker.
        const sign = buf[s] === MINUS ? 1 : 0;
        if (len - sign > 9 || digits(buf, s + sign, e) < 0) return false;
      } else if (kind === B_LONG) {
        if (digits(buf, buf[s] === MINUS ? s + 1 : s, e) < 0) return false;
      } else if (kind === B_DECIMAL) {
        if (!plainDecimal(buf, s, e)) return false;
      } else if (!isWord(buf, s, len, 'true') && !isWord(buf, s, len, 'false')) return false;
    }
    return true;
  }
}

function maxLengthOf(field: SchemaField): number {
  if (ID_FIELDS.has(field.name)) return MAX_ID_LENGTH;
  if (field.categorical || field.name === 'IMPRESSION') return MAX_CATEGORICAL_LENGTH;
  return field.textual ? MAX_TEXTUAL_LENGTH : Infinity;
}

/** `[+-]digits[.digits]`, a subset of what DECIMAL accepts. */
function plainDecimal(buf: Buffer, s: number, e: number): boolean {
  let p = buf[s] === MINUS || buf[s] === PLUS ? s + 1 : s;
  const first = p;
  while (p < e && (buf[p] as number) - 48 >>> 0 <= 9) p += 1;
  if (p === first) return false;
  if (p === e) return true;
  if (buf[p] !== DOT) return false;
  for (p += 1; p < e; p += 1) if ((buf[p] as number) - 48 >>> 0 > 9) return false;
  return true;
}
