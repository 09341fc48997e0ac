import type { AvroRecordSchema, DatasetType, Domain } from '../manifest/types.ts';
import { MAX_EVENT_COLUMNS_PLUS_TYPES, MIN_ACTIVE_USER_SHARE, RESERVED_FIELDS } from './avro-rules.ts';
import { checkDomainEventTypes } from './domain-rules.ts';
import { shorten, type DataFinding } from './findings.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';
import type { DataFileResult, DatasetGroupReport, InteractionFilter } from './types.ts';
import { pct, validateDataFile } from './validate-file.ts';
import type { IdCounter } from './id-counter.ts';

export interface DatasetGroupFiles {
  readonly interactions?: DataFileResult;
  readonly items?: DataFileResult;
  readonly users?: DataFileResult;
}

export interface DatasetGroupOptions {
  readonly thresholds?: Thresholds;
  /**
   * Solution filters to check the 1,000-interaction minimum against. Their counts come from the
   * interactions result, so the same filters must have been given to `validateDataFile`.
   */
  readonly filters?: readonly InteractionFilter[];
  /** Columns of the interactions schema, for the event-type limit. */
  readonly interactionsSchema?: AvroRecordSchema;
  /** The group's domain, for the event types its use cases train on. */
  readonly domain?: Domain;
}

/** How many example ids a cross-file finding quotes. */
const EXAMPLES = 3;

/**
 * Rules that need a dataset group's files together: the service's training minimums, the
 * event-type limit, and how well interactions and metadata cover each other.
 */
export function validateDatasetGroup(files: DatasetGroupFiles, options: DatasetGroupOptions = {}): DataFinding[] {
  const t = options.thresholds ?? DEFAULT_THRESHOLDS;
  const out: DataFinding[] = [];
  const inter = files.interactions;
  const p = inter?.profile.interactions;
  if (inter === undefined || p === undefined) return out;
  const file = inter.file;
  const rows = inter.profile.rows;
  if (rows < t.minInteractions) {
    out.push({ code: 'too-few-interactions', severity: 'error', file, message: `The file has ${rows} interactions; Personalize needs at least ${t.minInteractions} to train and to import.`, hint: 'Add more history, or widen the time window of the export.' });
  }
  if (p.usersWithTwoInteractions < t.minUsersWithTwoInteractions) {
    out.push({ code: 'too-few-active-users', severity: 'error', file, message: `Only ${p.usersWithTwoInteractions} users have at least 2 interactions; Personalize needs ${t.minUsersWithTwoInteractions}.`, hint: 'Training fails with "Dataset has fewer than 25 users with at least 2 interactions each."' });
  } else if (p.usersWithTwoInteractions < Math.ceil(MIN_ACTIVE_USER_SHARE * p.users)) {
    const needed = Math.ceil(MIN_ACTIVE_USER_SHARE * p.users);
    out.push({ code: 'too-few-active-users-share', severity: 'error', file, message: `Only ${p.usersWithTwoInteractions} of ${p.users} users (${pct(p.usersWithTwoInteractions / p.users)}) have at least 2 interactions; Personalize needs at least ${pct(MIN_ACTIVE_USER_SHARE)} of all users (${needed}) besides the minimum of ${t.minUsersWithTwoInteractions}.`, hint: 'Widen the time window so more users return, or drop one-off users from the export.' });
  }
  for (const f of p.filters) {
    const what = describe(f.filter);
    if (f.interactions < t.minInteractions) {
      out.push({ code: 'too-few-interactions-after-filter', severity: 'error', file, path: f.filter.label, message: `${f.filter.label}: ${f.interactions} interactions remain after filtering by ${what}; Personalize needs at least ${t.minInteractions}.`, hint: 'Drop or loosen the eventType / eventValueThreshold of this solution.' });
    }
    if (f.usersWithTwoInteractions < t.minUsersWithTwoInteractions) {
      out.push({ code: 'too-few-active-users-after-filter', severity: 'error', file, path: f.filter.label, message: `${f.filter.label}: only ${f.usersWithTwoInteractions} users keep at least 2 interactions after filtering by ${what}; Personalize needs ${t.minUsersWithTwoInteractions}.` });
    }
  }
  if (options.interactionsSchema !== undefined) {
    const reserved = new Set(RESERVED_FIELDS.INTERACTIONS.filter((r) => r.required).map((r) => r.name));
    const metadata = options.interactionsSchema.fields.filter((f) => !reserved.has(f.name)).length;
    if (metadata + p.distinctEventTypes > MAX_EVENT_COLUMNS_PLUS_TYPES) {
      out.push({ code: 'too-many-event-types', severity: 'error', file, path: 'EVENT_TYPE', message: `${metadata} metadata columns plus ${p.distinctEventTypes} distinct event types make ${metadata + p.distinctEventTypes}; Personalize allows at most ${MAX_EVENT_COLUMNS_PLUS_TYPES}.`, hint: 'Merge rare event types or drop metadata columns.' });
    }
  }
  if (options.domain !== undefined && p.distinctEventTypes > 0) out.push(...checkDomainEventTypes(options.domain, p, file));
  coverage(out, 'ITEMS', p.items, inter.ids.items, files.items, t);
  coverage(out, 'USERS', p.users, inter.ids.users, files.users, t);
  return out;
}

/** Interaction ids missing from the metadata file, and metadata rows nobody interacted with. */
function coverage(out: DataFinding[], type: DatasetType, distinct: number, used: IdCounter | undefined, meta: DataFileResult | undefined, t: Thresholds): void {
  const known = type === 'ITEMS' ? meta?.ids.items : meta?.ids.users;
  if (used === undefined || known === undefined || meta === undefined) return;
  const noun = type === 'ITEMS' ? 'items' : 'users';
  const column = type === 'ITEMS' ? 'ITEM_ID' : 'USER_ID';
  let missing = 0;
  const missingExamples: string[] = [];
  for (const id of used.ids()) {
    if (known.has(id)) continue;
    missing += 1;
    if (missingExamples.length < EXAMPLES) missingExamples.push(shorten(id, 20));
  }
  if (missing > 0) {
    out.push({ code: `${noun}-missing-metadata`, severity: 'warning', file: meta.file, path: column, message: `${missing} of ${distinct} ${noun} in the interactions (${pct(missing / Math.max(1, distinct))}) have no row in this file, e.g. ${missingExamples.join(', ')}.`, hint: `Add their metadata, or accept that training sees them without it.` });
  }
  let cold = 0;
  const coldExamples: string[] = [];
  for (const id of known.ids()) {
    if (used.has(id)) continue;
    cold += 1;
    if (coldExamples.length < EXAMPLES) coldExamples.push(shorten(id, 20));
  }
  const share = known.size === 0 ? 0 : cold / known.size;
  if (cold > 0) {
    const over = share > t.coldStart;
    out.push({ code: over ? 'cold-start' : `${noun}-without-interactions`, severity: over ? 'warning' : 'info', file: meta.file, path: column, message: `${cold} of ${known.size} ${noun} in this file (${pct(share)}) have no interactions, e.g. ${coldExamples.join(', ')}${over ? ` (threshold ${pct(t.coldStart)})` : ''}.`, hint: type === 'ITEMS' ? 'Cold items are only recommended by recipes that use metadata (User-Personalization-v2 exploration, Similar-Items).' : 'Cold users get popularity-like recommendations until they interact.' });
  }
}

function describe(f: InteractionFilter): string {
  const parts = [f.eventType === undefined ? undefined : `eventType ${f.eventType}`, f.eventValueThreshold === undefined ? undefined : `eventValueThreshold ${f.eventValueThreshold}`].filter((x) => x !== undefined);
  return parts.length === 0 ? 'nothing' : parts.join(' and ');
}

/** One dataset group's data files and the schemas they follow. */
export interface DatasetGroupInput {
  readonly interactions?: { readonly file: string; readonly schema: AvroRecordSchema };
  readonly items?: { readonly file: string; readonly schema: AvroRecordSchema };
  readonly users?: { readonly file: string; readonly schema: AvroRecordSchema };
}

/**
 * Validates every file of a dataset group, then the rules across them: what `poc validate` and
 * `poc plan` call. Files are read one after another to keep memory to one file's id maps plus
 * the interactions' ids.
 */
export async function validateDatasetGroupFiles(
  input: DatasetGroupInput,
  options: DatasetGroupOptions & { readonly maxErrors?: number; readonly now?: number } = {},
): Promise<DatasetGroupReport> {
  const common = {
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
    ...(options.maxErrors === undefined ? {} : { maxErrors: options.maxErrors }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  };
  const run = (key: 'interactions' | 'items' | 'users', datasetType: DatasetType): Promise<DataFileResult> | undefined => {
    const spec = input[key];
    return spec === undefined ? undefined : validateDataFile({ ...common, file: spec.file, schema: spec.schema, datasetType, ...(key === 'interactions' && options.filters !== undefined ? { filters: options.filters } : {}) });
  };
  const interactions = await run('interactions', 'INTERACTIONS');
  const items = await run('items', 'ITEMS');
  const users = await run('users', 'USERS');
  const files = { ...(interactions === undefined ? {} : { interactions }), ...(items === undefined ? {} : { items }), ...(users === undefined ? {} : { users }) };
  const group = validateDatasetGroup(files, { ...options, ...(input.interactions === undefined ? {} : { interactionsSchema: input.interactions.schema }) });
  return { files: [interactions, items, users].filter((r): r is DataFileResult => r !== undefined), group };
}
