import { error, type Diagnostic } from '../diagnostics/index.ts';
import type { AvroRecordSchema, DatasetType, Domain } from '../manifest/types.ts';
import { resolveField, type AvroPrimitive } from './avro-rules.ts';
import type { DataFinding } from './findings.ts';
import { jsonPositions } from './json-positions.ts';
import type { InteractionsProfile } from './types.ts';

/**
 * A field a domain dataset group gives meaning to (personalize-facts.md section 7, and the
 * ECOMMERCE / VIDEO_ON_DEMAND dataset requirement pages). `required` fields must be in the schema
 * and non-empty in every row; the others are the domain's reserved keywords: optional, but when
 * present they must have this type and flag, and the service recommends including them.
 */
export interface DomainField {
  readonly name: string;
  readonly type: AvroPrimitive;
  readonly required: boolean;
  readonly categorical?: true;
  readonly textual?: true;
}

const CATEGORY = { type: 'string', categorical: true } as const;

/** Dataset types a domain says nothing extra about (Users) are absent. */
export const DOMAIN_FIELDS: Readonly<Record<Domain, Partial<Record<DatasetType, readonly DomainField[]>>>> = {
  ECOMMERCE: {
    INTERACTIONS: [{ name: 'EVENT_TYPE', type: 'string', required: true }],
    ITEMS: [
      { name: 'PRICE', type: 'float', required: true },
      { name: 'CATEGORY_L1', ...CATEGORY, required: true },
      { name: 'CATEGORY_L2', ...CATEGORY, required: false },
      { name: 'CATEGORY_L3', ...CATEGORY, required: false },
      { name: 'PRODUCT_DESCRIPTION', type: 'string', textual: true, required: false },
      { name: 'AGE_GROUP', ...CATEGORY, required: false },
      { name: 'ADULT', ...CATEGORY, required: false },
      { name: 'GENDER', ...CATEGORY, required: false },
    ],
  },
  VIDEO_ON_DEMAND: {
    INTERACTIONS: [{ name: 'EVENT_TYPE', type: 'string', required: true }],
    ITEMS: [
      { name: 'GENRES', ...CATEGORY, required: true },
      { name: 'CREATION_TIMESTAMP', type: 'long', required: true },
      { name: 'PRICE', type: 'float', required: false },
      { name: 'DURATION', type: 'float', required: false },
      { name: 'GENRE_L2', ...CATEGORY, required: false },
      { name: 'GENRE_L3', ...CATEGORY, required: false },
      { name: 'AVERAGE_RATING', type: 'float', required: false },
      { name: 'PRODUCT_DESCRIPTION', type: 'string', textual: true, required: false },
      { name: 'CONTENT_OWNER', ...CATEGORY, required: false },
      { name: 'CONTENT_CLASSIFICATION', ...CATEGORY, required: false },
    ],
  },
};

/** Event types the domain's use cases train on (which ones a recommender needs depends on its use case), with one use case that needs each. */
export const DOMAIN_EVENT_TYPES: Readonly<Record<Domain, readonly { readonly type: string; readonly example: string }[]>> = {
  ECOMMERCE: [
    { type: 'View', example: 'Most viewed' },
    { type: 'Purchase', example: 'Best sellers' },
  ],
  VIDEO_ON_DEMAND: [
    { type: 'Watch', example: 'Because you watched X' },
    { type: 'Click', example: 'Top picks for you' },
  ],
};

/** "an ECOMMERCE dataset group", "a VIDEO_ON_DEMAND dataset group": for messages. */
export function domainGroup(domain: Domain): string {
  return `${domain === 'ECOMMERCE' ? 'an' : 'a'} ${domain} dataset group`;
}

/** Columns a domain requires to be non-empty in every row of a file of this type. */
export function domainRequiredColumns(domain: Domain | undefined, type: DatasetType): ReadonlySet<string> {
  if (domain === undefined) return new Set();
  return new Set((DOMAIN_FIELDS[domain][type] ?? []).filter((f) => f.required).map((f) => f.name));
}

/**
 * What a domain asks of a schema beyond the general rules: its reserved keywords with their
 * type and flag (errors), and the recommended ones that are absent (info). Required fields that
 * are absent are reported by the manifest's group check (`domain-schema-field`), so not here.
 */
export function checkDomainSchema(schema: AvroRecordSchema, domain: Domain, type: DatasetType, file: string, text?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const positions = text === undefined ? undefined : jsonPositions(text);
  const at = (path: string, field: string): { file: string; path: string; line?: number; column?: number } => {
    const p = positions?.get(path);
    return { file, path: field, ...(p === undefined ? {} : { line: p.line, column: p.column }) };
  };
  const wanted = DOMAIN_FIELDS[domain][type] ?? [];
  for (const need of wanted) {
    if (need.required) continue;
    const index = schema.fields.findIndex((f) => f.name === need.name);
    const raw = schema.fields[index];
    if (raw === undefined) {
      out.push({ code: 'domain-recommended-field', severity: 'info', message: `${need.name} is a reserved ${domain} field the schema does not have; recommenders use it when present.`, ...at('fields', need.name), hint: `Add {"name": "${need.name}", "type": ["null", "${need.type}"]${need.categorical === true ? ', "categorical": true' : ''}${need.textual === true ? ', "textual": true' : ''}} if you have the data.` });
      continue;
    }
    const f = resolveField(raw);
    if (f.base !== undefined && f.base !== need.type) {
      out.push(error('domain-field-type', `In ${domainGroup(domain)}, ${need.name} must be of type ${need.type}, not ${f.base}.`, { ...at(`fields/${index}/type`, need.name), hint: `Set "type": "${need.type}".` }));
    } else if (need.categorical === true && raw.categorical !== true) {
      out.push(error('domain-field-not-categorical', `In ${domainGroup(domain)}, ${need.name} must be categorical.`, { ...at(`fields/${index}`, need.name), hint: 'Add "categorical": true.' }));
    } else if (need.textual === true && raw.textual !== true) {
      out.push(error('domain-field-not-textual', `In ${domainGroup(domain)}, ${need.name} must be textual.`, { ...at(`fields/${index}`, need.name), hint: 'Add "textual": true.' }));
    }
  }
  return out;
}

/**
 * Warns when an interactions file lacks an event type the domain's use cases train on, and says
 * so when only a different spelling is present (event types are compared exactly).
 */
export function checkDomainEventTypes(domain: Domain, profile: InteractionsProfile, file: string): DataFinding[] {
  const out: DataFinding[] = [];
  const present = profile.eventTypes.map((e) => e.type);
  for (const expected of DOMAIN_EVENT_TYPES[domain]) {
    if (present.includes(expected.type)) continue;
    const nearMiss = present.find((p) => p.toLowerCase() === expected.type.toLowerCase());
    out.push({
      code: 'domain-event-type-missing',
      severity: 'warning',
      file,
      path: `EVENT_TYPE ${expected.type}`,
      message: `No interaction has EVENT_TYPE "${expected.type}"${nearMiss === undefined ? '' : ` (the file has "${nearMiss}")`}; ${domain} use cases such as ${expected.example} train on it.`,
      hint: nearMiss === undefined ? `Export these events with EVENT_TYPE "${expected.type}", or create only recommenders whose use case does not need them.` : `Event types are compared exactly: rename "${nearMiss}" to "${expected.type}".`,
    });
  }
  return out;
}
