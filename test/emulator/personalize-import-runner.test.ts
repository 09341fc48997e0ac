import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectReader } from '../../src/emulator/context.ts';
import { readDataFile } from '../../src/emulator/personalize/data-store.ts';
import type { DatasetAttrs } from '../../src/emulator/personalize/datasets.ts';
import { ImportRunner, type ImportJobAttrs } from '../../src/emulator/personalize/import-runner.ts';
import { Store, type ResourceRecord } from '../../src/emulator/personalize/store.ts';

const DATASET_ARN = 'arn:aws:personalize:us-east-1:000000000000:dataset/g/ITEMS';

/** Objects served in exactly the given chunks, so chunk boundaries can fall anywhere. */
function objectsOf(files: Record<string, (string | Buffer)[]>): ObjectReader {
  return {
    listKeys: (_bucket, prefix) => Object.keys(files).filter((k) => k.startsWith(prefix)).sort(),
    openObject: (_bucket, key) => (files[key] === undefined ? undefined : Readable.from(files[key].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)))),
    bucketExists: () => true,
    createBucket: () => {},
    deleteBucket: () => {},
  };
}

describe('import runner byte handling', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function runImport(files: Record<string, (string | Buffer)[]>, location: string): Promise<{ status: string; failureReason?: string; rows: (readonly string[])[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'poc-runner-'));
    dirs.push(dir);
    const store = Store.load(dir);
    const fields = [
      { name: 'ITEM_ID', type: 'string' as const, nullable: false, categorical: false, textual: false },
      { name: 'GENRE', type: 'string' as const, nullable: false, categorical: true, textual: false },
      { name: 'PRICE', type: 'float' as const, nullable: true, categorical: false, textual: false },
    ];
    store.put({ kind: 'schema', arn: 'schema-arn', name: 's', createdAt: 0, updatedAt: 0, tags: [], attrs: { schema: '', fields } });
    const dataset: ResourceRecord<DatasetAttrs> = { kind: 'dataset', arn: DATASET_ARN, name: 'd', createdAt: 0, updatedAt: 0, tags: [], attrs: { datasetGroupArn: 'g', datasetType: 'ITEMS', schemaArn: 'schema-arn' } };
    store.put(dataset);
    const job: ResourceRecord<ImportJobAttrs> = { kind: 'datasetImportJob', arn: 'job-arn', name: 'job', createdAt: 0, updatedAt: 0, tags: [], attrs: { datasetArn: DATASET_ARN, dataLocation: location, importMode: 'FULL' } };
    const result = await new ImportRunner(store, objectsOf(files)).run(job, new AbortController().signal);
    result.commit?.();
    const rows: (readonly string[])[] = [];
    const data = dataset.attrs.data;
    if (data !== undefined) {
      for await (const row of readDataFile(join(dir, data.file))) rows.push(row);
      expect(rows).toHaveLength(data.rowCount);
    }
    return { status: result.status, ...(result.failureReason === undefined ? {} : { failureReason: result.failureReason }), rows };
  }

  it('copies rows verbatim when the header matches, whatever the chunk boundaries and line endings', async () => {
    const result = await runImport(
      {
        'p/a.csv': ['\uFEFFITEM_ID,GEN', 'RE,PRICE\r', '\ni1,drama,1.5\r\ni2,"comedy, dark",\r', '\ni3,x|y,2'],
        'p/b.csv': ['ITEM_ID,GENRE,PRICE\n', 'i4,"say ""hi""",3\n'],
      },
      's3://b/p/',
    );
    expect(result).toEqual({
      status: 'ACTIVE',
      rows: [['i1', 'drama', '1.5'], ['i2', 'comedy, dark', ''], ['i3', 'x|y', '2'], ['i4', 'say "hi"', '3']],
    });
  });

  it('re-encodes rows when the columns come in another order or a nullable one is missing', async () => {
    const result = await runImport({ 'x.csv': ['GENRE,ITEM_ID\n"a,b",i1\nc,i2\n'] }, 's3://b/x.csv');
    expect(result.rows).toEqual([['i1', 'a,b', ''], ['i2', 'c', '']]);
  });

  it('fails on a bad value in a later chunk and keeps no rows', async () => {
    const result = await runImport({ 'x.csv': ['ITEM_ID,GENRE,PRICE\ni1,a,1\n', 'i2,b,cheap\n'] }, 's3://b/x.csv');
    expect(result).toEqual({ status: 'CREATE FAILED', failureReason: 'Line 3 of s3://b/x.csv, column PRICE: "cheap" is not a valid float.', rows: [] });
  });

  it('fails on invalid UTF-8, an empty file and broken quoting', async () => {
    const utf = await runImport({ 'bad.csv': ['ITEM_ID,GENRE\n', Buffer.from([0x69, 0x31, 0x2c, 0xff, 0xfe, 0x0a])] }, 's3://b/bad.csv');
    expect(utf).toMatchObject({ status: 'CREATE FAILED', failureReason: 's3://b/bad.csv is not valid UTF-8 text.' });
    const empty = await runImport({ 'empty.csv': [] }, 's3://b/empty.csv');
    expect(empty.failureReason).toBe('s3://b/empty.csv is empty; the first line must be a header.');
    const quote = await runImport({ 'q.csv': ['ITEM_ID,GENRE\ni1,"open\n'] }, 's3://b/q.csv');
    expect(quote.failureReason).toBe('Line 2 of s3://b/q.csv is not valid CSV: a quoted field is not closed.');
  });
});
