import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { arnSuffix } from '../personalize/arn.ts';

/**
 * Records streamed into a dataset at runtime (PutEvents, PutItems, PutUsers), kept apart from the
 * bulk data as the service keeps them: a FULL import replaces the bulk file and leaves these.
 * One JSON object per line, appended; the file lives under `<personalize dir>/streamed/`, away
 * from `data/` (whose sweep removes files the state does not name), and is named after the
 * dataset's creation time so a dataset re-created under the same ARN starts empty.
 */
export type StreamKind = 'events' | 'items' | 'users';

/** One event as PutEvents stored it. `timestamp` is epoch seconds (the Interactions TIMESTAMP). */
export interface StoredEvent {
  readonly userId: string;
  readonly sessionId: string;
  readonly itemId: string;
  readonly eventType: string;
  readonly timestamp: number;
  readonly eventValue?: number;
  readonly eventId?: string;
  readonly recommendationId?: string;
  readonly impression?: readonly string[];
  /** Parsed `properties`: extra Interactions columns by their camelCase names. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** One PutItems/PutUsers record: the id and its parsed `properties`. */
export interface StoredRecord {
  readonly id: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The dataset a stream belongs to, as its record says: ARN and creation time. */
export interface StreamOwner {
  readonly arn: string;
  readonly createdAt: number;
}

export function streamPath(personalizeDir: string, dataset: StreamOwner, kind: StreamKind): string {
  const parts = (arnSuffix(dataset.arn) ?? dataset.arn).split('/').slice(1);
  return join(personalizeDir, 'streamed', ...parts, `${kind}-${dataset.createdAt}.jsonl`);
}

/** Removes stream files of datasets that no longer exist (deleted, or re-created since). */
export function sweepStreams(personalizeDir: string, datasets: readonly StreamOwner[]): void {
  const root = join(personalizeDir, 'streamed');
  if (!existsSync(root)) return;
  const keep = new Set(datasets.flatMap((d) => (['events', 'items', 'users'] as const).map((kind) => streamPath(personalizeDir, d, kind))));
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(path)) rmSync(path, { force: true });
  }
}

/**
 * Appends `entries` in one write and fsyncs before returning, so an answered PutEvents survives a
 * crash. A line cut short by an earlier crash is cut off first: the file always ends with a
 * complete line before new ones follow it.
 */
export function appendStream(path: string, entries: readonly object[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  try {
    const size = fstatSync(fd).size;
    const end = completeLength(fd, size);
    if (end !== size) ftruncateSync(fd, end);
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), end);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The length of the file up to and including its last line break. */
function completeLength(fd: number, size: number): number {
  if (size === 0) return 0;
  const tail = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - tail.length);
    readSync(fd, tail, 0, end - start, start);
    const at = tail.subarray(0, end - start).lastIndexOf(10);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

/** The complete lines of a stream file (or an open descriptor of one), parsed; [] when absent. */
export function readStream<T>(source: string | number): T[] {
  if (typeof source === 'string' && !existsSync(source)) return [];
  const text = readFileSync(source, 'utf8');
  const end = text.lastIndexOf('\n');
  if (end < 0) return [];
  return text
    .slice(0, end)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

/** `numRatings` -> `NUM_RATINGS`: how PutEvents property names map to schema columns. */
export function columnOfProperty(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** A property value as a CSV field: lists become `a|b`, as categorical values are written. */
function fieldOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join('|');
  return String(value);
}

/** A stored record's properties as upper-case column -> value, for filters and training. */
export function columnsOfProperties(properties: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties ?? {})) row[columnOfProperty(name)] = fieldOf(value);
  return row;
}

/** An event as a row of the Interactions file whose header is `columns`. */
export function eventRow(columns: readonly string[], event: StoredEvent): string[] {
  const extra = columnsOfProperties(event.properties);
  return columns.map((column) => {
    switch (column.toUpperCase()) {
      case 'USER_ID':
        return event.userId;
      case 'ITEM_ID':
        return event.itemId;
      case 'TIMESTAMP':
        return String(Math.floor(event.timestamp));
      case 'EVENT_TYPE':
        return event.eventType;
      case 'EVENT_VALUE':
        return event.eventValue === undefined ? '' : String(event.eventValue);
      case 'IMPRESSION':
        return (event.impression ?? []).join('|');
      case 'RECOMMENDATION_ID':
        return event.recommendationId ?? '';
      default:
        return extra[column.toUpperCase()] ?? '';
    }
  });
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV record with its line break, quoting only the fields that need it. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map((f) => (NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\n`;
}
