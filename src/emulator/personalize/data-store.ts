import { createReadStream, createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { CsvParser, type CsvRecord } from '../../data/csv.ts';
import { readJson } from '../persist.ts';
import { arnSuffix } from './arn.ts';
import { STATE_FILE } from './store.ts';

/**
 * A dataset's committed rows: one CSV file (header = `columns`) under the Personalize state
 * directory. Invariant: the file is complete before any state names it, and it is never modified
 * afterwards; a new import writes a new file and the state switches to it in one atomic save.
 */
export interface DatasetData {
  /** Path relative to the Personalize state directory. */
  readonly file: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
}

/** Rows as stored: one string per column, `''` for null. */
export interface DatasetRows {
  readonly columns: readonly string[];
  readonly rowCount: number;
  records(): AsyncIterable<readonly string[]>;
}

/** Where the emulator keeps Personalize state inside the emulator's state directory. */
export function personalizeDir(stateDir: string): string {
  return join(stateDir, 'personalize');
}

/** The folder holding every data file of one dataset (`dataset/{group}/{TYPE}`). */
export function datasetDataDir(dir: string, datasetArn: string): string {
  return join(dir, 'data', ...(arnSuffix(datasetArn) ?? datasetArn).split('/').slice(1));
}

export function removeDatasetData(dir: string, datasetArn: string): void {
  rmSync(datasetDataDir(dir, datasetArn), { recursive: true, force: true });
}

/**
 * Streams a dataset's current rows, as last committed by an import, from a stopped or running
 * emulator's state directory; undefined when the dataset does not exist or has no data yet.
 * Reading never blocks imports: a newer import writes another file.
 */
export function openDatasetRows(stateDir: string, datasetArn: string): DatasetRows | undefined {
  const dir = personalizeDir(stateDir);
  const state = readJson<{ records: { arn: string; kind: string; attrs: { data?: DatasetData } }[] }>(join(dir, STATE_FILE), { records: [] });
  const data = state.records.find((r) => r.kind === 'dataset' && r.arn === datasetArn)?.attrs.data;
  if (data === undefined) return undefined;
  return { columns: data.columns, rowCount: data.rowCount, records: () => readDataFile(join(dir, data.file)) };
}

/** The records of a stored data file after its header, a chunk at a time (bounded memory). */
export async function* readDataFile(path: string): AsyncIterable<readonly string[]> {
  let batch: string[][] = [];
  let header = true;
  const parser = new CsvParser((record: CsvRecord) => {
    if (header) header = false;
    else batch.push(record.fields);
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    parser.push(decoder.decode(chunk, { stream: true }));
    if (batch.length > 0) {
      yield* batch;
      batch = [];
    }
  }
  parser.push(decoder.decode());
  parser.end();
  yield* batch;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvLine(fields: readonly string[]): string {
  let plain = true;
  for (const field of fields) {
    if (NEEDS_QUOTES.test(field)) {
      plain = false;
      break;
    }
  }
  // Most rows need no quoting; join is native and much cheaper than building the line by hand.
  if (plain) return `${fields.join(',')}\n`;
  return `${fields.map((f) => (NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\n`;
}

/** Writes a data file line by line, batching small writes and honouring the stream's backpressure. */
export class DataFileWriter {
  private buffer = '';
  rows = 0;

  private constructor(private readonly out: WriteStream) {}

  static async open(path: string, columns: readonly string[]): Promise<DataFileWriter> {
    await mkdir(join(path, '..'), { recursive: true });
    const writer = new DataFileWriter(createWriteStream(path));
    writer.buffer = csvLine(columns);
    return writer;
  }

  /** Queues one row; call {@link flushIfFull} between input chunks. */
  write(fields: readonly string[]): void {
    this.buffer += csvLine(fields);
    this.rows += 1;
  }

  /**
   * Appends bytes that are already rows in this file's column order (an input file whose header
   * matches, minus its header line), so the common import copies rather than re-encodes.
   * `rows` counts records; the bytes must end with a line break.
   */
  async writeRaw(bytes: Uint8Array, rows: number): Promise<void> {
    await this.flush();
    this.rows += rows;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  async flushIfFull(): Promise<void> {
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer === '') return;
    const ok = this.out.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.out, 'drain');
  }

  /** Flushes, and resolves once the file is fully written and closed. */
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
  }

  destroy(): void {
    this.out.destroy();
  }
}
