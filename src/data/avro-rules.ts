import type { AvroField, DatasetType } from '../manifest/types.ts';

/**
 * Amazon Personalize's rules for dataset schemas and values (personalize-facts.md §7, §8),
 * as data, so the schema checks and the row checks read the same numbers.
 */
export type AvroPrimitive = 'float' | 'double' | 'int' | 'long' | 'string' | 'boolean';

export const AVRO_PRIMITIVES: readonly AvroPrimitive[] = ['float', 'double', 'int', 'long', 'string', 'boolean'];

export const SCHEMA_NAMESPACE = 'com.amazonaws.personalize.schema';

export const RECORD_NAME_OF: Readonly<Record<DatasetType, string>> = {
  INTERACTIONS: 'Interactions',
  ITEMS: 'Items',
  USERS: 'Users',
};

/** A field the service gives meaning to; `required` ones must be present and non-null. */
export interface ReservedField {
  readonly name: string;
  readonly types: readonly AvroPrimitive[];
  readonly required: boolean;
  /** Whether `["null", type]` is accepted. */
  readonly nullable: boolean;
}

export const RESERVED_FIELDS: Readonly<Record<DatasetType, readonly ReservedField[]>> = {
  INTERACTIONS: [
    { name: 'USER_ID', types: ['string'], required: true, nullable: false },
    { name: 'ITEM_ID', types: ['string'], required: true, nullable: false },
    { name: 'TIMESTAMP', types: ['long'], required: true, nullable: false },
    { name: 'EVENT_TYPE', types: ['string'], required: false, nullable: false },
    { name: 'EVENT_VALUE', types: ['float'], required: false, nullable: true },
    { name: 'IMPRESSION', types: ['string'], required: false, nullable: true },
    { name: 'RECOMMENDATION_ID', types: ['string'], required: false, nullable: true },
    { name: 'EVENT_ATTRIBUTION_SOURCE', types: ['string'], required: false, nullable: true },
  ],
  ITEMS: [
    { name: 'ITEM_ID', types: ['string'], required: true, nullable: false },
    { name: 'CREATION_TIMESTAMP', types: ['long'], required: false, nullable: true },
  ],
  USERS: [{ name: 'USER_ID', types: ['string'], required: true, nullable: false }],
};

/** Fields holding identifiers, whose values are limited to `ID_MAX_LENGTH` characters. */
export const ID_FIELDS: ReadonlySet<string> = new Set(['USER_ID', 'ITEM_ID', 'RECOMMENDATION_ID']);
/** Fields holding epoch-seconds timestamps. */
export const TIMESTAMP_FIELDS: ReadonlySet<string> = new Set(['TIMESTAMP', 'CREATION_TIMESTAMP']);
/** Reserved string fields that take `|`-separated lists, limited like categorical values. */
export const MULTI_VALUE_FIELDS: ReadonlySet<string> = new Set(['IMPRESSION']);

export const ID_MAX_LENGTH = 256;
export const CATEGORICAL_MAX_LENGTH = 1000;
export const TEXTUAL_MAX_LENGTH = 20_000;
/** CreateSchema takes the schema as a string of at most this many characters. */
export const SCHEMA_MAX_CHARS = 20_000;

/** Interactions: metadata columns other than the reserved ones. */
export const MAX_INTERACTIONS_METADATA_FIELDS = 5;
/** Interactions: metadata columns (EVENT_TYPE and EVENT_VALUE included) plus distinct event types. */
export const MAX_EVENT_COLUMNS_PLUS_TYPES = 10;
/**
 * Users with at least two interactions, as a share of all users: the current documentation's
 * training minimum besides the 25 users (personalize-facts.md section 7).
 */
export const MIN_ACTIVE_USER_SHARE = 0.01;
/** Total fields, current documentation (the 2023 guide said 50 and 5). */
export const MAX_FIELDS: Readonly<Partial<Record<DatasetType, number>>> = { ITEMS: 100, USERS: 25 };

/** Avro's own rule for names. */
export const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A schema field reduced to what the checks need. `base` is undefined for a type we cannot read. */
export interface ResolvedField {
  readonly name: string;
  readonly base: AvroPrimitive | undefined;
  readonly nullable: boolean;
  readonly categorical: boolean;
  readonly textual: boolean;
}

/** Reads `"string"` or `["null","string"]` (either order); anything else has no `base`. */
export function resolveField(field: AvroField): ResolvedField {
  const t = field.type;
  let base: AvroPrimitive | undefined;
  let nullable = false;
  if (typeof t === 'string') base = asPrimitive(t);
  else if (Array.isArray(t) && t.length === 2 && t.includes('null')) {
    nullable = true;
    base = asPrimitive(t.find((x) => x !== 'null'));
  }
  return { name: field.name, base, nullable, categorical: field.categorical === true, textual: field.textual === true };
}

function asPrimitive(t: unknown): AvroPrimitive | undefined {
  return typeof t === 'string' && (AVRO_PRIMITIVES as readonly string[]).includes(t) ? (t as AvroPrimitive) : undefined;
}

export function reservedField(type: DatasetType, name: string): ReservedField | undefined {
  return RESERVED_FIELDS[type].find((f) => f.name === name);
}
