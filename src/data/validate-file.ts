import type { Buffer } from 'node:buffer';
import type { AvroRecordSchema, DatasetType, Domain } from '../manifest/types.ts';
import { resolveField } from './avro-rules.ts';
import { CsvParser, type CsvProblem, type CsvRecord } from './csv.ts';
import { FindingSink, shorten } from './findings.ts';
import { checkHeader } from './header.ts';
import { InteractionsProfiler } from './interactions-profiler.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';
import { TIMESTAMP_ADVICE, classifyTimestamp } from './timestamps.ts';
import type { ColumnProfile, DataFileResult, FileIds, InteractionFilter, InteractionsProfile } from './types.ts';
import { FastRows, type ColumnState } from './fast-rows.ts';
import { domainGroup, domainRequiredColumns } from './domain-rules.ts';
import { IdCounter } from './id-counter.ts';
import { feedLines, readChunks } from './line-feeder.ts';
import { checkTyped, columnRule } from './value-rules.ts';

/** Distinct values tracked per categorical column before the count becomes a lower bound. */
const DISTINCT_CAP = 10_000;

export interface ValidateDataFileOptions {
  /** Path for messages, and the file read when `input` is absent. */
  readonly file: string;
  readonly schema: AvroRecordSchema;
  readonly datasetType: DatasetType;
  readonly thresholds?: Thresholds;
  /** Occurrences detailed before findings are only counted. */
  readonly maxErrors?: number;
  /** Solution event filters whose counts the dataset-group rules check (interactions only). */
  readonly filters?: readonly InteractionFilter[];
  /** The bytes to read instead of `file` (an S3 object, a test stream). */
  readonly input?: AsyncIterable<Uint8Array>;
  /** "Now" in epoch seconds, for future timestamps; defaults to the clock. */
  readonly now?: number;
  /** The dataset group's domain: its required fields must then be non-empty in every row. */
  readonly domain?: Domain;
}

/**
 * How lines are read: `bytes` lets the byte-level path take the lines it can; `general` parses
 * every line, and is the reference the fast path is tested against.
 */
export type ReadPath = 'bytes' | 'general';

/**
 * Validates one CSV file against its schema in a single streaming pass and profiles it.
 * Everything the service would reject is an error at its line and column; what predicts a weak
 * proof of concept is a warning. Memory is bounded by distinct ids, not rows.
 */
export function validateDataFile(options: ValidateDataFileOptions): Promise<DataFileResult> {
  return validateDataFileBy(options, 'bytes');
}

/** `validateDataFile` with the read path chosen; both paths give the same result. */
export async function validateDataFileBy(options: ValidateDataFileOptions, path: ReadPath): Promise<DataFileResult> {
  const { file, datasetType } = options;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const sink = new FindingSink(file, options.maxErrors);
  const fields = options.schema.fields.map(resolveField);
  const profiler = datasetType === 'INTERACTIONS' ? new InteractionsProfiler(options.filters) : undefined;
  const metadataIds = datasetType === 'INTERACTIONS' ? undefined : new IdCounter();
  const domainRequired = domainRequiredColumns(options.domain, datasetType);

  let columns: (ColumnState | undefined)[] = [];
  let width = 0;
  let rows = 0;
  let lastLine = 0;
  let userAt = -1;
  let itemAt = -1;
  let timeAt = -1;
  let eventTypeAt = -1;
  let eventValueAt = -1;
  let idAt = -1;

  let fastRows: FastRows | undefined;
  const recordStarts = (line: number, endLine: number): void => {
    if (line > lastLine + 1 && lastLine > 0) {
      sink.report('csv-blank-line', 'warning', { line: lastLine + 1, column: 1, hint: 'Remove blank lines; a loader may read one as a record with empty fields.' }, () => 'Blank line inside the data.');
    }
    lastLine = endLine;
  };
  const duplicateId = (line: number, column: number, id: string): void => {
    sink.report('duplicate-id', 'warning', { line, column, path: fields[0]?.name ?? 'ID', hint: 'Keep one row per id; Personalize keeps only one of them.' }, () => `${datasetType === 'ITEMS' ? 'ITEM_ID' : 'USER_ID'} ${shorten(id)} appears more than once.`);
  };
  const fastSink = {
    rows(first: number, last: number): void {
      recordStarts(first, last);
      rows += last - first + 1;
    },
    duplicate(line: number, column: number, buf: Buffer, idStart: number, idEnd: number): void {
      duplicateId(line, column, buf.toString('latin1', idStart, idEnd));
    },
  };
  const onRecord = (record: CsvRecord): void => {
    const f = record.fields;
    const line = record.line;
    recordStarts(line, parser.currentLine);
    if (width === 0) {
      const mapping = checkHeader(f, fields, sink, (i) => parser.fieldPosition(i));
      width = f.length;
      columns = mapping.map((field) => (field === undefined ? undefined : { rule: columnRule(field, datasetType, options.domain, domainRequired), missing: 0, distinct: field.categorical ? new Set<string>() : undefined }));
      const at = (name: string): number => mapping.findIndex((m) => m?.name === name);
      userAt = at('USER_ID');
      itemAt = at('ITEM_ID');
      timeAt = at('TIMESTAMP');
      eventTypeAt = at('EVENT_TYPE');
      eventValueAt = at('EVENT_VALUE');
      idAt = datasetType === 'ITEMS' ? itemAt : datasetType === 'USERS' ? userAt : -1;
      if (path === 'bytes') fastRows = new FastRows(columns, { userAt, itemAt, timeAt, eventTypeAt, eventValueAt, idAt }, now, DISTINCT_CAP, profiler, metadataIds, fastSink);
      return;
    }
    rows += 1;
    if (f.length !== width) {
      if (f.length === width + 1 && f[width] === '') {
        const p = parser.fieldPosition(width);
        sink.report('csv-trailing-delimiter', 'error', { line, column: p.column - 1, hint: 'Remove the comma at the end of the line.' }, () => `Line ends with a delimiter: ${width + 1} fields where the header has ${width}.`);
      } else {
        sink.report('csv-field-count', 'error', { line, column: 1, hint: 'Quote values that contain commas or line breaks.' }, () => `Record has ${f.length} fields; the header has ${width}.`);
        return;
      }
    }
    let seconds: number | undefined;
    for (let i = 0; i < width; i += 1) {
      const c = columns[i];
      if (c === undefined) continue;
      const v = f[i] as string;
      const rule = c.rule;
      if (v.length === 0) {
        c.missing += 1;
        const requiredBy = rule.requiredBy;
        if (requiredBy !== undefined) {
          const p = parser.fieldPosition(i);
          sink.report('domain-value-missing', 'error', { line, column: p.column, path: rule.field.name, hint: `Fill in ${rule.field.name} on every row, or remove the rows without it.` }, () => `${rule.field.name} is empty; ${domainGroup(requiredBy)} requires it on every row.`);
        } else if (!rule.nullable) {
          const p = parser.fieldPosition(i);
          sink.report('value-missing', 'error', { line, column: p.column, path: rule.field.name, hint: `Every row needs a ${rule.field.name}; remove the row or fill it in.` }, () => `${rule.field.name} is empty; the schema does not allow null.`);
        }
        continue;
      }
      if (v.length > rule.maxLength) {
        const code = rule.lengthCode ?? 'value-too-long';
        const p = parser.fieldPosition(i);
        sink.report(code, 'error', { line, column: p.column, path: rule.field.name, hint: code === 'value-categorical-too-long' ? 'Shorten the value or split it into fewer |-separated values.' : 'Shorten the value.' }, () => `${rule.field.name} value ${shorten(v)} is ${v.length} characters; the limit is ${rule.maxLength}.`);
      }
      if (rule.kind === 'string') {
        if (c.distinct !== undefined && c.distinct.size < DISTINCT_CAP) c.distinct.add(v);
        continue;
      }
      if (rule.kind === 'timestamp') {
        const t = classifyTimestamp(v, now);
        if (t.kind === 'seconds') {
          if (i === timeAt) seconds = t.seconds;
          continue;
        }
        const severity = t.kind === 'future' ? 'warning' : 'error';
        const p = parser.fieldPosition(i);
        sink.report(`timestamp-${t.kind}`, severity, { line, column: p.column, path: rule.field.name, hint: 'Personalize wants Unix epoch seconds, e.g. 1700000000.' }, () => `${rule.field.name} value ${shorten(v)} ${TIMESTAMP_ADVICE[t.kind as Exclude<typeof t.kind, 'seconds'>]}.`);
        if (i === timeAt && t.kind === 'future') seconds = t.seconds;
        continue;
      }
      const problem = checkTyped(rule.kind, v, rule.field.name);
      if (problem !== undefined) {
        const p = parser.fieldPosition(i);
        sink.report(problem.code, 'error', { line, column: p.column, path: rule.field.name, hint: problem.hint }, () => problem.message);
      }
    }
    if (profiler !== undefined && userAt >= 0 && itemAt >= 0) {
      const user = f[userAt] as string;
      const item = f[itemAt] as string;
      if (user.length > 0 && item.length > 0) {
        profiler.add(user, item, seconds, eventTypeAt >= 0 ? f[eventTypeAt] : undefined, eventValueAt >= 0 ? Number(f[eventValueAt] || Number.NaN) : Number.NaN);
      }
    } else if (metadataIds !== undefined && idAt >= 0) {
      const id = f[idAt] as string;
      if (id.length > 0) metadataIds.add(id);
      if (id.length > 0 && metadataIds.count(id) === 2) duplicateId(line, parser.fieldPosition(idAt).column, id);
    }
  };
  const onProblem = (p: CsvProblem): void => {
    const message = p.code === 'csv-stray-quote' ? 'A quote appears inside an unquoted field or after a closing quote.' : 'A quoted field is never closed; the rest of the file is read as one value.';
    sink.report(p.code, 'error', { line: p.line, column: p.column, hint: 'Quote the whole field and double any quote inside it ("").' }, () => message);
  };
  const parser = new CsvParser(onRecord, onProblem);

  let sawBom = false;
  let bytes = 0;
  try {
    const source = options.input ?? readChunks(file);
    const fed = await feedLines(
      source,
      parser,
      (bad) => {
        sink.report('utf8-invalid', 'error', { line: bad.line, column: bad.column, hint: 'Save the file as UTF-8.' }, () => `Bytes ${bad.bytes} are not valid UTF-8.`);
      },
      path === 'bytes' ? () => fastRows : undefined,
    );
    bytes = fed.bytes;
    sawBom = fed.bom;
  } catch (e) {
    sink.report('file-unreadable', 'error', {}, () => `Cannot read the file: ${(e as Error).message}`);
  }
  if (sawBom) {
    sink.report('csv-bom', 'warning', { line: 1, column: 1, hint: 'Save the file as UTF-8 without a byte order mark.' }, () => 'The file starts with a UTF-8 byte order mark, which some loaders read as part of the first column name.');
  }
  if (width === 0 && bytes >= 0) {
    sink.report('file-empty', 'error', { line: 1, column: 1 }, () => 'The file has no header row.');
  }

  const columnProfiles: ColumnProfile[] = [];
  columns.forEach((c) => {
    if (c === undefined) return;
    const name = c.rule.field.name;
    columnProfiles.push({ name, missing: c.missing, ...(c.distinct === undefined ? {} : { distinct: c.distinct.size, distinctCapped: c.distinct.size >= DISTINCT_CAP }) });
    if (c.rule.nullable && rows > 0 && c.missing / rows > thresholds.missingValues) {
      sink.report('missing-values', 'warning', { path: name, hint: 'Fill the column in or drop it; sparse metadata adds little to training.' }, () => `${name} is empty in ${pct(c.missing / rows)} of rows (threshold ${pct(thresholds.missingValues)}).`);
    }
  });

  const interactions = profiler?.finish();
  const ids: FileIds = profiler !== undefined ? { users: profiler.users, items: profiler.items } : datasetType === 'ITEMS' ? { items: metadataIds as IdCounter } : { users: metadataIds as IdCounter };
  if (interactions !== undefined) interactionWarnings(sink, interactions, thresholds);
  return {
    file,
    datasetType,
    findings: sink.findings(),
    totals: { ...sink.totals },
    truncated: sink.truncated,
    profile: { bytes, rows, columns: columnProfiles, ...(interactions === undefined ? {} : { interactions }) },
    ids,
  };
}

function interactionWarnings(sink: FindingSink, p: InteractionsProfile, t: Thresholds): void {
  if (p.duplicateEventShare > t.duplicateEvents) {
    sink.report('duplicate-events', 'warning', { hint: 'Drop exact duplicates; they overweight those events in training.' }, () => `About ${pct(p.duplicateEventShare)} of interactions repeat the same user, item and timestamp (threshold ${pct(t.duplicateEvents)}).`);
  }
  if (p.repeatedPairShare > t.repeatedPairs) {
    sink.report('repeated-pairs', 'warning', { hint: 'Consider keeping the latest interaction per user and item, or use EVENT_VALUE to weight them.' }, () => `About ${pct(p.repeatedPairShare)} of interactions repeat a user-item pair already seen (threshold ${pct(t.repeatedPairs)}).`);
  }
  if (p.topItemShare > t.popularityConcentration) {
    sink.report('popularity-concentration', 'warning', { hint: 'Compare against a popularity baseline; a personalised model may not beat it.' }, () => `The top 1% of items get ${pct(p.topItemShare)} of interactions (threshold ${pct(t.popularityConcentration)}).`);
  }
  activityWarnings(sink, p.weekly);
}

/** Near-empty weeks (under a tenth of the median) inside the span, and weeks over three times the median. */
function activityWarnings(sink: FindingSink, weekly: readonly { start: number; count: number }[]): void {
  if (weekly.length < 4) return;
  const sorted = weekly.map((w) => w.count).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const day = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10);
  const gaps = weekly.filter((w) => w.count < median / 10);
  if (gaps.length > 0) {
    sink.report('activity-gap', 'warning', { hint: 'Check for missing exports; a gap looks like lost data to training and evaluation.' }, () => `${gaps.length} week(s) with under a tenth of the median weekly interactions (${median}), the first from ${day(gaps[0]?.start ?? 0)} (${gaps[0]?.count ?? 0}).`);
  }
  const spikes = weekly.filter((w) => median > 0 && w.count > 3 * median);
  if (spikes.length > 0) {
    sink.report('activity-spike', 'warning', { hint: 'Check for bots, backfills or promotions; a spike skews popularity.' }, () => `${spikes.length} week(s) with over 3× the median weekly interactions (${median}), the first from ${day(spikes[0]?.start ?? 0)}.`);
  }
}

export function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}
