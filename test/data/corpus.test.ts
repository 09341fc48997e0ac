import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDataFile, validateDatasetGroup } from '../../src/data/index.ts';
import type { AvroRecordSchema, DatasetType, Domain } from '../../src/manifest/types.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'data');
const schema = (name: string): AvroRecordSchema => JSON.parse(readFileSync(join(dir, `${name}.avsc`), 'utf8')) as AvroRecordSchema;
const NOW = 1_750_000_000;

interface Case {
  readonly file: string;
  readonly code: string;
  /** Absent for rules about the whole file (dataset-group rules). */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly severity?: 'error' | 'warning';
  /** The .avsc to read, when not the dataset type's default. */
  readonly schema?: string;
  /** The dataset group's domain, passed to the file and group checks. */
  readonly domain?: Domain;
  /** The finding comes from the dataset-group rules run over this file's result. */
  readonly group?: true;
}

const cases: readonly Case[] = [
  { file: 'interactions-header-missing-columns.csv', code: 'header-missing-columns', line: 1, column: 1, message: 'missing the following columns: [TIMESTAMP]' },
  { file: 'interactions-header-misspelt.csv', code: 'header-misspelt', line: 1, column: 17, message: 'did you mean TIMESTAMP?' },
  { file: 'interactions-header-extra-column.csv', code: 'header-extra-column', line: 1, column: 50, message: '"COLOR" is not in the schema' },
  { file: 'interactions-header-reordered.csv', code: 'header-reordered', line: 1, column: 9, message: 'Column 2 is TIMESTAMP but the schema has ITEM_ID there' },
  { file: 'interactions-header-quoted.csv', code: 'header-quoted', line: 1, column: 1, message: 'Header "USER_ID" is quoted' },
  { file: 'interactions-header-duplicate-column.csv', code: 'header-duplicate-column', line: 1, column: 50, message: '"ITEM_ID" appears twice' },
  { file: 'interactions-value-missing.csv', code: 'value-missing', line: 3, column: 1, message: 'USER_ID is empty' },
  { file: 'interactions-value-id-too-long.csv', code: 'value-id-too-long', line: 3, column: 4, message: 'is 300 characters; the limit is 256' },
  { file: 'interactions-value-not-float.csv', code: 'value-not-float', line: 3, column: 23, message: 'EVENT_VALUE value "lots" is not a number (float)' },
  { file: 'interactions-timestamp-milliseconds.csv', code: 'timestamp-milliseconds', line: 3, column: 7, message: 'epoch milliseconds; divide by 1,000' },
  { file: 'interactions-timestamp-microseconds.csv', code: 'timestamp-microseconds', line: 3, column: 7, message: 'epoch microseconds' },
  { file: 'interactions-timestamp-iso-date.csv', code: 'timestamp-iso-date', line: 3, column: 7, message: '"2023-11-14T22:13:20Z" is a date string' },
  { file: 'interactions-timestamp-before-1970.csv', code: 'timestamp-before-1970', line: 3, column: 7, message: 'is before 1970' },
  { file: 'interactions-timestamp-future.csv', code: 'timestamp-future', line: 3, column: 7, message: 'is in the future', severity: 'warning' },
  { file: 'interactions-timestamp-fractional.csv', code: 'timestamp-fractional', line: 3, column: 7, message: 'has a fraction' },
  { file: 'interactions-timestamp-not-a-number.csv', code: 'timestamp-not-a-number', line: 3, column: 7, message: '"yesterday" is not a number' },
  { file: 'interactions-csv-field-count.csv', code: 'csv-field-count', line: 3, column: 1, message: 'Record has 3 fields; the header has 5' },
  { file: 'interactions-csv-trailing-delimiter.csv', code: 'csv-trailing-delimiter', line: 3, column: 24, message: 'Line ends with a delimiter' },
  { file: 'interactions-csv-stray-quote.csv', code: 'csv-stray-quote', line: 3, column: 5, message: 'quote appears inside an unquoted field' },
  { file: 'interactions-csv-unterminated-quote.csv', code: 'csv-unterminated-quote', line: 3, column: 1, message: 'never closed' },
  { file: 'interactions-csv-blank-line.csv', code: 'csv-blank-line', line: 3, column: 1, message: 'Blank line', severity: 'warning' },
  { file: 'interactions-csv-bom.csv', code: 'csv-bom', line: 1, column: 1, message: 'byte order mark', severity: 'warning' },
  { file: 'interactions-utf8-invalid.csv', code: 'utf8-invalid', line: 3, column: 5, message: 'Bytes ff' },
  { file: 'interactions-rfc4180-then-error.csv', code: 'timestamp-not-a-number', line: 5, column: 7, message: '"oops" is not a number' },
  { file: 'items-value-not-boolean.csv', code: 'value-not-boolean', line: 3, column: 18, message: 'AVAILABLE value "yes" is not a boolean' },
  { file: 'items-value-boolean-case.csv', code: 'value-boolean-case', line: 3, column: 18, message: 'must be lower-case true or false' },
  { file: 'items-value-not-int.csv', code: 'value-not-int', line: 3, column: 24, message: 'out of range for int' },
  { file: 'items-value-categorical-too-long.csv', code: 'value-categorical-too-long', line: 3, column: 4, message: 'is 1079 characters; the limit is 1000' },
  { file: 'items-value-textual-too-long.csv', code: 'value-textual-too-long', line: 3, column: 10, message: 'is 20005 characters; the limit is 20000' },
  { file: 'items-duplicate-id.csv', code: 'duplicate-id', line: 4, column: 1, message: 'ITEM_ID "i1" appears more than once', severity: 'warning' },
  { file: 'users-value-not-long.csv', code: 'value-not-long', line: 3, column: 4, message: 'AGE value "thirty" is not an integer' },
  { file: 'items-domain-ecommerce-price-missing.csv', schema: 'items-ecommerce', domain: 'ECOMMERCE', code: 'domain-value-missing', line: 3, column: 4, message: 'PRICE is empty; an ECOMMERCE dataset group requires it on every row' },
  { file: 'items-domain-ecommerce-category-missing.csv', schema: 'items-ecommerce', domain: 'ECOMMERCE', code: 'domain-value-missing', line: 4, column: 6, message: 'CATEGORY_L1 is empty' },
  { file: 'items-domain-vod-creation-timestamp-missing.csv', schema: 'items-vod', domain: 'VIDEO_ON_DEMAND', code: 'domain-value-missing', line: 3, column: 10, message: 'CREATION_TIMESTAMP is empty; a VIDEO_ON_DEMAND dataset group requires it' },
  { file: 'interactions-domain-event-types.csv', domain: 'ECOMMERCE', group: true, code: 'domain-event-type-missing', severity: 'warning', message: 'No interaction has EVENT_TYPE "View" (the file has "view")' },
  { file: 'interactions-active-user-share.csv', group: true, code: 'too-few-active-users-share', message: 'Only 30 of 3030 users (1.0%) have at least 2 interactions; Personalize needs at least 1.0% of all users (31)' },
];

const typeOf = (file: string): DatasetType => (file.startsWith('items') ? 'ITEMS' : file.startsWith('users') ? 'USERS' : 'INTERACTIONS');
const schemaOf = (t: DatasetType): string => t.toLowerCase();

describe('broken-file corpus: each file yields its rule at the right place', () => {
  it.each(cases)('$file → $code at $line:$column', async (c) => {
    const datasetType = typeOf(c.file);
    const domain = c.domain === undefined ? {} : { domain: c.domain };
    const result = await validateDataFile({ file: join(dir, c.file), schema: schema(c.schema ?? schemaOf(datasetType)), datasetType, now: NOW, ...domain });
    const findings = c.group === true ? validateDatasetGroup({ interactions: result }, domain) : result.findings;
    const found = findings.find((f) => f.code === c.code);
    expect(found, JSON.stringify(findings, null, 1)).toBeDefined();
    expect(found).toMatchObject({ severity: c.severity ?? 'error' });
    expect([found?.line, found?.column]).toEqual([c.line, c.column]);
    expect(found?.message).toContain(c.message);
    expect(found?.file).toBe(join(dir, c.file));
  });

  it('covers every fixture in the folder', async () => {
    const { readdirSync } = await import('node:fs');
    const csvs = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
    expect(csvs).toEqual(cases.map((c) => c.file).sort());
  });

  it('the RFC 4180 file has no finding besides the deliberate one', async () => {
    const file = join(dir, 'interactions-rfc4180-then-error.csv');
    const r = await validateDataFile({ file, schema: schema('interactions'), datasetType: 'INTERACTIONS', now: NOW });
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['timestamp-not-a-number']);
    expect(r.profile.rows).toBe(3);
  });
});
