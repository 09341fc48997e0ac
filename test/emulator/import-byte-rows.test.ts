import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaField } from '../../src/emulator/personalize/avro.ts';
import { readDataFile } from '../../src/emulator/personalize/data-store.ts';
import type { DatasetAttrs } from '../../src/emulator/personalize/datasets.ts';
import { ImportRunner, type ImportJobAttrs } from '../../src/emulator/personalize/import-runner.ts';
import { ByteRowReader, RowChecker } from '../../src/emulator/personalize/row-checker.ts';
import { Store, type ResourceRecord } from '../../src/emulator/personalize/store.ts';

const field = (name: string, type: SchemaField['type'], nullable = false, categorical = false): SchemaField => ({ name, type, nullable, categorical, textual: false });

const FIELDS: readonly SchemaField[] = [
  field('ITEM_ID', 'string'),
  field('N', 'int', true),
  field('L', 'long', true),
  field('F', 'float', true),
  field('D', 'double', true),
  field('B', 'boolean', true),
  field('GENRE', 'string', true, true),
];

/** Values for every column kind: clean ones, edge cases, and ones the checker rejects. */
const VALUES: Record<SchemaField['type'], readonly string[]> = {
  string: ['i1', '', ' ', 'a b', 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(1000), 'x'.repeat(1001), 'a|b'],
  int: ['', '0', '-0', '7', '-7', '+7', '123456789', '999999999', '2147483647', '2147483648', '-2147483648', '-2147483649', '0012', '1.0', '1e3', '-', '+', ' 1', 'x'],
  long: ['', '0', '-12', '+12', '9223372036854775807', '99999999999999999999', '1.5', '-', 'abc', '1 '],
  float: ['', '0', '1.5', '-1.5', '+1.5', '1.', '.5', '-.5', '1e5', '1.5E-3', '.', '-', '1..2', '1.2.3', 'nan', '1,5', ' 1'],
  double: ['', '3', '3.25', '3.', 'e5', '1e', '1e+'],
  boolean: ['', 'true', 'false', 'True', 'FALSE', 'yes', 'truee'],
};

describe('the import byte path accepts only what the row checker accepts', () => {
  it('agrees with RowChecker.check on every column kind, and takes the clean values', () => {
    const header = FIELDS.map((f) => f.name);
    const checker = new RowChecker(FIELDS, header, 's3://b/x.csv');
    const base = ['i1', '1', '2', '1.5', '2.5', 'true', 'g'];
    let taken = 0;
    let cases = 0;
    FIELDS.forEach((f, j) => {
      for (const v of VALUES[f.name === 'GENRE' || f.name === 'ITEM_ID' ? 'string' : f.type]) {
        const values = [...base];
        values[j] = v;
        const line = `${values.join(',')}\n`;
        const reader = new ByteRowReader(FIELDS);
        const fast = reader.read(Buffer.from(line), 0, 2);
        const general = checker.check([...values], 2);
        cases += 1;
        if (fast) {
          taken += 1;
          expect(Array.isArray(general), `${f.name}=${JSON.stringify(v)}: ${String(general)}`).toBe(true);
          expect(reader.rows).toBe(1);
        }
      }
    });
    // The path must actually be used for the plain values, or it gains nothing.
    expect(taken).toBeGreaterThan(cases / 3);
  });

  it('declines quotes, lone CRs, non-ASCII bytes and wrong field counts without counting them', () => {
    const reader = new ByteRowReader([field('ITEM_ID', 'string'), field('GENRE', 'string', true, true)]);
    for (const line of ['"i1",a\n', 'i1,a\rb\n', 'i1,é\n', 'i1\n', 'i1,a,b\n', 'i1,a']) {
      expect(reader.read(Buffer.from(line), 0, 2), JSON.stringify(line)).toBe(false);
    }
    expect(reader.rows).toBe(0);
    expect(reader.read(Buffer.from('i1,a\r\n'), 0, 2)).toBe(true);
    expect(reader.read(Buffer.from('\n'), 0, 3)).toBe(true);
    expect(reader.rows).toBe(1);
  });
});

describe('imports through the byte path', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function runImport(chunks: string[], importMode: 'FULL' | 'INCREMENTAL' = 'FULL', store?: Store): Promise<{ status: string; failureReason?: string; rows: (readonly string[])[]; store: Store }> {
    let s = store;
    if (s === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'poc-byte-import-'));
      dirs.push(dir);
      s = Store.load(dir);
      s.put({ kind: 'schema', arn: 'schema-arn', name: 's', createdAt: 0, updatedAt: 0, tags: [], attrs: { schema: '', fields: [field('ITEM_ID', 'string'), field('PRICE', 'float', true), field('GENRE', 'string', false, true)] } });
      s.put({ kind: 'dataset', arn: 'ds', name: 'd', createdAt: 0, updatedAt: 0, tags: [], attrs: { datasetGroupArn: 'g', datasetType: 'ITEMS', schemaArn: 'schema-arn' } } satisfies ResourceRecord<DatasetAttrs>);
    }
    const objects = { listKeys: () => ['x.csv'], openObject: () => Readable.from(chunks.map((c) => Buffer.from(c))), bucketExists: () => true, createBucket: () => {}, deleteBucket: () => {} };
    const job: ResourceRecord<ImportJobAttrs> = { kind: 'datasetImportJob', arn: `job-${chunks.length}-${importMode}`, name: `job${Math.random().toString(36).slice(2)}`, createdAt: 0, updatedAt: 0, tags: [], attrs: { datasetArn: 'ds', dataLocation: 's3://b/x.csv', importMode } };
    const result = await new ImportRunner(s, objects).run(job, new AbortController().signal);
    result.commit?.();
    const rows: (readonly string[])[] = [];
    const data = s.find<DatasetAttrs>('dataset', 'ds')?.attrs.data;
    if (data !== undefined) {
      for await (const row of readDataFile(join(s.dir, data.file))) rows.push(row);
      expect(rows).toHaveLength(data.rowCount);
    }
    return { status: result.status, ...(result.failureReason === undefined ? {} : { failureReason: result.failureReason }), rows, store: s };
  }

  const plain = (from: number, to: number): string => Array.from({ length: to - from }, (_, k) => `i${from + k},${k % 3},g${k % 4}\n`).join('');

  it('keeps line numbers right in failure reasons after thousands of lines taken from bytes', async () => {
    const r = await runImport([`ITEM_ID,PRICE,GENRE\n${plain(0, 3000)}`, `${plain(3000, 5000)}i5000,"1.5",g\ni5001,cheap,g\n`]);
    expect(r).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Line 5003 of s3://b/x.csv, column PRICE: "cheap" is not a valid float.' });
  });

  it('stores every row, whichever path read it, and counts them once', async () => {
    const body = `ITEM_ID,PRICE,GENRE\n${plain(0, 100)}"i100",1,"a,b"\n${plain(101, 200)}i200,1.5e3,g\n\ni201,,"multi\nline"\n${plain(202, 300)}`;
    const r = await runImport([body.slice(0, 777), body.slice(777, 1501), body.slice(1501)]);
    expect(r.status).toBe('ACTIVE');
    expect(r.rows).toHaveLength(300);
    expect(r.rows[100]).toEqual(['i100', '1', 'a,b']);
    expect(r.rows[200]).toEqual(['i200', '1.5e3', 'g']);
    expect(r.rows[201]).toEqual(['i201', '', 'multi\nline']);
    expect(r.rows[299]).toEqual(['i299', '1', 'g1']); // k = 97 of the last run
  });

  it('INCREMENTAL replaces the ids the byte path read', async () => {
    const first = await runImport([`ITEM_ID,PRICE,GENRE\n${plain(0, 10)}`]);
    const second = await runImport(['ITEM_ID,PRICE,GENRE\ni3,9,new\ni42,1,g\n'], 'INCREMENTAL', first.store);
    expect(second.rows).toHaveLength(11);
    expect(second.rows.filter((row) => row[0] === 'i3')).toEqual([['i3', '9', 'new']]);
  });
});
