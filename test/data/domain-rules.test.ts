import { describe, expect, it } from 'vitest';
import { checkDomainSchema, validateDatasetGroup } from '../../src/data/index.ts';
import { validateDataFileBy, type ReadPath } from '../../src/data/validate-file.ts';
import type { AvroRecordSchema, Domain } from '../../src/manifest/types.ts';
import { INTERACTIONS_SCHEMA, bytes, rows } from './helpers.ts';

const T0 = 1_700_000_000;

const ECOMMERCE_ITEMS: AvroRecordSchema = {
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'PRICE', type: ['null', 'float'] },
    { name: 'CATEGORY_L1', type: ['null', 'string'], categorical: true },
  ],
};

const items = (text: string, domain: Domain | undefined, path: ReadPath = 'bytes') =>
  validateDataFileBy({ file: 'items.csv', schema: ECOMMERCE_ITEMS, datasetType: 'ITEMS', input: bytes(text), ...(domain === undefined ? {} : { domain }) }, path);

const inter = (list: [string, string, number, string][]) =>
  validateDataFileBy({ file: 'i.csv', schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS', input: bytes(rows(list)), now: T0 + 1e7 }, 'bytes');

/** `active` users with two interactions and `once` users with one; 1,200+ rows in all. */
function population(active: number, once: number, types: readonly string[] = ['View', 'Purchase']): [string, string, number, string][] {
  const out: [string, string, number, string][] = [];
  let t = T0;
  for (let u = 0; u < active; u += 1) for (let k = 0; k < 2; k += 1) out.push([`a${u}`, `i${(u + k) % 40}`, (t += 60), types[k % types.length] as string]);
  for (let u = 0; u < once; u += 1) out.push([`b${u}`, `i${u % 40}`, (t += 60), types[u % types.length] as string]);
  return out;
}

describe('domain dataset groups: required fields in every row', () => {
  const text = 'ITEM_ID,PRICE,CATEGORY_L1\ni1,9.5,Shoes\ni2,,Shoes\ni3,3,\n';

  it('an empty PRICE or CATEGORY_L1 is an error in an ECOMMERCE group, at its line and column', async () => {
    const r = await items(text, 'ECOMMERCE');
    const missing = r.findings.filter((f) => f.code === 'domain-value-missing');
    expect(missing.map((f) => [f.path, f.line, f.column, f.severity])).toEqual([
      ['PRICE', 3, 4, 'error'],
      ['CATEGORY_L1', 4, 6, 'error'],
    ]);
    expect(missing[0]?.message).toBe('PRICE is empty; an ECOMMERCE dataset group requires it on every row.');
  });

  it('the same nullable schema accepts the empty values in a custom group', async () => {
    const r = await items(text, undefined);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('the byte-level path and the general path agree under a domain', async () => {
    const [fast, general] = await Promise.all([items(text, 'ECOMMERCE', 'bytes'), items(text, 'ECOMMERCE', 'general')]);
    expect(JSON.stringify({ f: fast.findings, t: fast.totals, p: fast.profile })).toBe(JSON.stringify({ f: general.findings, t: general.totals, p: general.profile }));
  });
});

describe('domain dataset groups: schema keywords', () => {
  it('checks the type and flag of reserved keywords the schema has, with their place in the file', () => {
    const schema: AvroRecordSchema = { ...ECOMMERCE_ITEMS, fields: [...ECOMMERCE_ITEMS.fields, { name: 'CATEGORY_L2', type: 'string' }, { name: 'AGE_GROUP', type: 'int' }] };
    const text = JSON.stringify(schema, null, 2);
    const errors = checkDomainSchema(schema, 'ECOMMERCE', 'ITEMS', 'items.avsc', text).filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.path])).toEqual([
      ['domain-field-not-categorical', 'CATEGORY_L2'],
      ['domain-field-type', 'AGE_GROUP'],
    ]);
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(errors[1]?.line).toBe(lineOf('"int"'));
  });

  it('lists the recommended keywords that are absent as info, and leaves required ones to the manifest check', () => {
    const bare: AvroRecordSchema = { ...ECOMMERCE_ITEMS, fields: [{ name: 'ITEM_ID', type: 'string' }] };
    const found = checkDomainSchema(bare, 'ECOMMERCE', 'ITEMS', 'items.avsc');
    expect(found.every((d) => d.severity === 'info' && d.code === 'domain-recommended-field')).toBe(true);
    expect(found.map((d) => d.path)).toEqual(['CATEGORY_L2', 'CATEGORY_L3', 'PRODUCT_DESCRIPTION', 'AGE_GROUP', 'ADULT', 'GENDER']);
    expect(checkDomainSchema(bare, 'VIDEO_ON_DEMAND', 'USERS', 'users.avsc')).toEqual([]);
  });
});

describe('domain dataset groups: event types', () => {
  it('an ECOMMERCE group with View and Purchase events is fine', async () => {
    const r = await inter(population(40, 1200));
    expect(validateDatasetGroup({ interactions: r }, { domain: 'ECOMMERCE' })).toEqual([]);
  });

  it('names the missing event type, and a spelling that differs only in case', async () => {
    const r = await inter(population(40, 1200, ['view', 'Watch']));
    const eco = validateDatasetGroup({ interactions: r }, { domain: 'ECOMMERCE' });
    expect(eco.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['domain-event-type-missing', 'warning', 'EVENT_TYPE View'],
      ['domain-event-type-missing', 'warning', 'EVENT_TYPE Purchase'],
    ]);
    expect(eco[0]?.message).toContain('(the file has "view")');
    expect(eco[0]?.hint).toContain('rename "view" to "View"');
    const vod = validateDatasetGroup({ interactions: r }, { domain: 'VIDEO_ON_DEMAND' });
    expect(vod.map((f) => f.path)).toEqual(['EVENT_TYPE Click']);
    expect(validateDatasetGroup({ interactions: r })).toEqual([]);
  });
});

describe('training minimum: users with two interactions are at least 1% of users', () => {
  it('30 active users of 3,030 are short of 1% (31)', async () => {
    const r = await inter(population(30, 3000));
    const found = validateDatasetGroup({ interactions: r });
    expect(found.map((f) => f.code)).toEqual(['too-few-active-users-share']);
    expect(found[0]?.message).toBe('Only 30 of 3030 users (1.0%) have at least 2 interactions; Personalize needs at least 1.0% of all users (31) besides the minimum of 25.');
  });

  it('31 active users of 3,031 meet it', async () => {
    const r = await inter(population(31, 3000));
    expect(validateDatasetGroup({ interactions: r })).toEqual([]);
  });

  it('under 25 active users only the 25-user minimum is reported', async () => {
    const r = await inter(population(20, 3000));
    expect(validateDatasetGroup({ interactions: r }).map((f) => f.code)).toEqual(['too-few-active-users']);
  });
});
