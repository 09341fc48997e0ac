import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CsvParser, type CsvProblem, type CsvRecord } from '../../data/csv.ts';
import { feedLines } from '../../data/line-feeder.ts';
import type { ObjectReader } from '../context.ts';
import { DataFileWriter, datasetDataDir, readDataFile, type DatasetData } from './data-store.ts';
import { DATASET, ID_COLUMN, type DatasetAttrs } from './datasets.ts';
import type { SchemaField } from './avro.ts';
import type { WorkResult } from './lifecycle.ts';
import { ByteRowReader, headerProblem, RowChecker } from './row-checker.ts';
import { SCHEMA, type SchemaAttrs } from './schemas.ts';
import type { ResourceRecord, Store } from './store.ts';

/** Each import of interactions must bring at least this many records. */
const MIN_INTERACTIONS = 1000;
const INVALID_LOCATION = 'Invalid Data location.';
const LF = 10;
const CR = 13;

export type ImportMode = 'FULL' | 'INCREMENTAL';

export interface ImportJobAttrs {
  readonly datasetArn: string;
  readonly dataLocation: string;
  readonly importMode: ImportMode;
  readonly roleArn?: string;
  readonly publishAttributionMetricsToS3?: boolean;
}

/** `promise`, or a rejection as soon as `signal` aborts (a closing emulator must not wait on a queue). */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((ok, fail) => {
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      ok();
    }, fail);
  });
}

/** Thrown inside a run to end it with a failureReason. */
class ImportFailure extends Error {}

/**
 * Runs dataset import jobs: reads every object at the data location through the emulator's S3,
 * checks each record against the dataset's schema while streaming it to a new data file, and
 * returns a result whose `commit` points the dataset at that file. Imports into one dataset run
 * one after another (each one's commit releases the next), so INCREMENTAL merges never race.
 */
export class ImportRunner {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly objects: ObjectReader,
  ) {}

  /**
   * Removes data files no state names: an old file whose deletion a crash interrupted, or the
   * output of a job that died mid-run and will restart (it rewrites its file from scratch).
   */
  sweep(): void {
    const root = join(this.store.dir, 'data');
    if (!existsSync(root)) return;
    const keep = new Set<string>();
    for (const dataset of this.store.list<DatasetAttrs>(DATASET)) if (dataset.attrs.data !== undefined) keep.add(join(this.store.dir, dataset.attrs.data.file));
    for (const group of readdirSync(root)) {
      for (const type of readdirSync(join(root, group))) {
        for (const file of readdirSync(join(root, group, type))) {
          const path = join(root, group, type, file);
          if (!keep.has(path)) rmSync(path, { force: true });
        }
      }
    }
  }

  async run(job: ResourceRecord<ImportJobAttrs>, signal: AbortSignal): Promise<WorkResult> {
    const datasetArn = job.attrs.datasetArn;
    const previous = this.queues.get(datasetArn) ?? Promise.resolve();
    let release = (): void => {};
    const mine = new Promise<void>((ok) => (release = ok));
    const queued = previous.then(() => mine);
    this.queues.set(datasetArn, queued);
    const done = (): void => {
      release();
      if (this.queues.get(datasetArn) === queued) this.queues.delete(datasetArn);
    };
    try {
      await untilAborted(previous, signal);
      const result = await this.importInto(job, signal);
      const commit = result.commit;
      if (commit === undefined) {
        done();
        return result;
      }
      return {
        ...result,
        commit: () => {
          commit();
          done();
        },
      };
    } catch (err) {
      done();
      if (err instanceof ImportFailure) return { status: 'CREATE FAILED', failureReason: err.message };
      throw err;
    }
  }

  private async importInto(job: ResourceRecord<ImportJobAttrs>, signal: AbortSignal): Promise<WorkResult> {
    const dataset = this.store.find<DatasetAttrs>(DATASET, job.attrs.datasetArn);
    const schema = dataset === undefined ? undefined : this.store.find<SchemaAttrs>(SCHEMA, dataset.attrs.schemaArn);
    if (dataset === undefined || schema === undefined) throw new ImportFailure(`Dataset ${job.attrs.datasetArn} no longer exists.`);
    const sources = this.sources(job.attrs.dataLocation);
    const dir = datasetDataDir(this.store.dir, dataset.arn);
    const columns = schema.attrs.fields.map((f) => f.name);
    const incremental = job.attrs.importMode === 'INCREMENTAL';
    const idColumn = ID_COLUMN[dataset.attrs.datasetType];
    const idIndex = idColumn === undefined ? -1 : columns.indexOf(idColumn);
    const newIds = incremental && idIndex >= 0 ? { ids: new Set<string>(), index: idIndex } : undefined;
    const finalPath = join(dir, `${job.name}.csv`);
    const stagedPath = incremental ? join(dir, `${job.name}.new.csv`) : finalPath;

    const staged = await DataFileWriter.open(stagedPath, columns);
    try {
      for (const [bucket, key] of sources) await this.readObject(bucket, key, schema.attrs.fields, staged, newIds, signal);
      await staged.close();
    } catch (err) {
      staged.destroy();
      await rm(stagedPath, { force: true });
      throw err;
    }
    if (dataset.attrs.datasetType === 'INTERACTIONS' && staged.rows < MIN_INTERACTIONS) {
      await rm(stagedPath, { force: true });
      throw new ImportFailure(`Import data has ${staged.rows} interaction records; an import needs at least ${MIN_INTERACTIONS}.`);
    }

    let rowCount = staged.rows;
    let dataPath = stagedPath;
    const previous = dataset.attrs.data;
    if (incremental && previous !== undefined) {
      rowCount = await this.merge(join(this.store.dir, previous.file), previous.columns, stagedPath, finalPath, columns, idIndex, newIds?.ids, signal);
      await rm(stagedPath, { force: true });
      dataPath = finalPath;
    }
    const data: DatasetData = { file: relative(this.store.dir, dataPath), columns, rowCount };
    return {
      status: 'ACTIVE',
      commit: () => {
        dataset.attrs.data = data;
        // The old file goes only after the state naming the new one is saved (tick saves right after commits).
        if (previous !== undefined && previous.file !== data.file) {
          setImmediate(() => void rm(join(this.store.dir, previous.file), { force: true }));
        }
      },
    };
  }

  /**
   * Streams one object through the parser and the row checks into `staged`. When the file's header
   * is the schema's columns in order, its bytes after the header line are valid stored rows once
   * checked, so they are copied instead of re-encoded row by row (the common case, and the fast one);
   * its plain lines are then checked straight from the bytes (`ByteRowReader`) and only the others
   * are decoded and parsed, which is where every failure reason comes from.
   */
  private async readObject(
    bucket: string,
    key: string,
    fields: readonly SchemaField[],
    staged: DataFileWriter,
    newIds: { readonly ids: Set<string>; readonly index: number } | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const stream = this.objects.openObject(bucket, key);
    if (stream === undefined) throw new ImportFailure(INVALID_LOCATION);
    const location = `s3://${bucket}/${key}`;
    let checker: RowChecker | undefined;
    let byteRows: ByteRowReader | undefined;
    /** Rows checked since the last copy of input bytes (copy mode only). */
    let pendingRows = 0;
    const parser = new CsvParser(
      (record: CsvRecord) => {
        if (checker === undefined) {
          const problem = headerProblem(fields, record.fields);
          if (problem !== undefined) throw new ImportFailure(problem);
          checker = new RowChecker(fields, record.fields, location);
          if (checker.sameOrder) byteRows = new ByteRowReader(fields, newIds?.index, newIds === undefined ? undefined : (id) => newIds.ids.add(id));
          return;
        }
        const row = checker.check(record.fields, record.line);
        if (typeof row === 'string') throw new ImportFailure(row);
        if (newIds !== undefined) newIds.ids.add(row[newIds.index] as string);
        if (checker.sameOrder) pendingRows += 1;
        else staged.write(row);
      },
      (problem: CsvProblem) => {
        const what = problem.code === 'csv-unterminated-quote' ? 'a quoted field is not closed' : 'a quote appears inside an unquoted field';
        throw new ImportFailure(`Line ${problem.line} of ${location} is not valid CSV: ${what}.`);
      },
    );
    let inHeader = true;
    let skipLf = false;
    let lastByte = LF;
    /** Hands each chunk to the line feeder, then (once its complete lines are checked) copies or flushes. */
    async function* chunks(): AsyncIterable<Buffer> {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (signal.aborted) throw signal.reason;
        yield chunk;
        if (checker?.sameOrder === true) {
          let body = chunk;
          if (skipLf && body[0] === LF) body = body.subarray(1);
          skipLf = false;
          if (inHeader) {
            // The header line ends at the first CR or LF (its names never hold line breaks).
            let end = 0;
            while (end < body.length && body[end] !== LF && body[end] !== CR) end += 1;
            inHeader = end === body.length;
            if (!inHeader && body[end] === CR) {
              if (end + 1 === body.length) skipLf = true;
              else if (body[end + 1] === LF) end += 1;
            }
            body = body.subarray(Math.min(end + 1, body.length));
          }
          if (body.length > 0) {
            const taken = byteRows?.rows ?? 0;
            if (byteRows !== undefined) byteRows.rows = 0;
            await staged.writeRaw(body, pendingRows + taken);
            pendingRows = 0;
            lastByte = body[body.length - 1] ?? LF;
          }
        } else {
          await staged.flushIfFull();
        }
      }
    }
    try {
      await feedLines(
        chunks(),
        parser,
        () => {
          throw new ImportFailure(`${location} is not valid UTF-8 text.`);
        },
        () => byteRows,
      );
    } catch (err) {
      stream.destroy();
      throw err;
    }
    if (checker?.sameOrder === true) await staged.writeRaw(lastByte === LF || lastByte === CR ? new Uint8Array(0) : Buffer.from('\n'), pendingRows + (byteRows?.rows ?? 0));
    if (checker === undefined) throw new ImportFailure(`${location} is empty; the first line must be a header.`);
  }

  /** The S3 objects a data location names: one key, or every key under a prefix ending in `/`. */
  private sources(location: string): [string, string][] {
    const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
    if (match === null) throw new ImportFailure(INVALID_LOCATION);
    const bucket = match[1] as string;
    const key = match[2] as string;
    if (key !== '' && !key.endsWith('/')) {
      if (!(this.objects.listKeys(bucket, key) ?? []).includes(key)) throw new ImportFailure(INVALID_LOCATION);
      return [[bucket, key]];
    }
    const keys = (this.objects.listKeys(bucket, key) ?? []).filter((k) => !k.endsWith('/'));
    if (keys.length === 0) throw new ImportFailure(INVALID_LOCATION);
    return keys.map((k) => [bucket, k]);
  }

  /** Old rows (re-shaped to the current columns, minus replaced ids) followed by the new ones. */
  private async merge(
    oldPath: string,
    oldColumns: readonly string[],
    stagedPath: string,
    finalPath: string,
    columns: readonly string[],
    idIndex: number,
    newIds: ReadonlySet<string> | undefined,
    signal: AbortSignal,
  ): Promise<number> {
    const out = await DataFileWriter.open(finalPath, columns);
    try {
      const mapping = columns.map((c) => oldColumns.indexOf(c));
      for await (const old of readDataFile(oldPath)) {
        const row = mapping.map((i) => (i < 0 ? '' : (old[i] ?? '')));
        if (newIds !== undefined && newIds.has(row[idIndex] as string)) continue;
        out.write(row);
        await out.flushIfFull();
        if (signal.aborted) throw signal.reason;
      }
      for await (const row of readDataFile(stagedPath)) {
        out.write(row);
        await out.flushIfFull();
      }
      await out.close();
      return out.rows;
    } catch (err) {
      out.destroy();
      throw err;
    }
  }
}
