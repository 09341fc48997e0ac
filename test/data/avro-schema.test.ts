import { describe, expect, it } from 'vitest';
import { validateAvroSchema } from '../../src/data/index.ts';

const base = (fields: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields,
  version: '1.0',
  ...extra,
});
const REQUIRED = [
  { name: 'USER_ID', type: 'string' },
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TIMESTAMP', type: 'long' },
];
const codes = (json: unknown, type?: 'INTERACTIONS' | 'ITEMS' | 'USERS'): string[] => validateAvroSchema(json, 's.avsc', type).map((d) => d.code);

describe('validateAvroSchema', () => {
  it('accepts a minimal interactions schema', () => {
    expect(validateAvroSchema(base(REQUIRED), 's.avsc')).toEqual([]);
  });

  it('points at the offending field in the text', () => {
    const json = base([...REQUIRED.slice(0, 2), { name: 'TIMESTAMP', type: 'string' }]);
    const text = JSON.stringify(json, null, 2);
    const [d] = validateAvroSchema(json, 's.avsc', undefined, text);
    expect(d).toMatchObject({ code: 'avro-reserved-field-type', path: 'TIMESTAMP', file: 's.avsc' });
    const lines = text.split('\n');
    expect(lines[(d?.line ?? 0) - 1]?.slice((d?.column ?? 0) - 1)).toMatch(/^"string"/);
  });

  it.each([
    ['record name', base(REQUIRED, { name: 'Clicks' }), undefined, 'avro-record-name'],
    ['name differs from the expected type', base(REQUIRED), 'ITEMS', 'avro-record-name'],
    ['wrong namespace', base(REQUIRED, { namespace: 'com.example' }), undefined, 'avro-namespace'],
    ['missing required field', base(REQUIRED.slice(1)), undefined, 'avro-required-field-missing'],
    ['nullable required field', base([{ name: 'USER_ID', type: ['null', 'string'] }, ...REQUIRED.slice(1)]), undefined, 'avro-required-field-nullable'],
    ['nested type', base([...REQUIRED, { name: 'TAGS', type: { type: 'array', items: 'string' } }]), undefined, 'avro-field-type-invalid'],
    ['union of two types', base([...REQUIRED, { name: 'X', type: ['int', 'string'] }]), undefined, 'avro-field-type-invalid'],
    ['categorical on a number', base([...REQUIRED, { name: 'X', type: 'int', categorical: true }]), undefined, 'avro-categorical-not-string'],
    ['categorical on a reserved string', base([...REQUIRED, { name: 'EVENT_TYPE', type: 'string', categorical: true }]), undefined, 'avro-categorical-reserved'],
    ['textual outside Items', base([...REQUIRED, { name: 'X', type: 'string', textual: true }]), undefined, 'avro-textual-not-items'],
    ['names equal once stripped', base([...REQUIRED, { name: 'USERID', type: 'string', categorical: true }]), undefined, 'avro-duplicate-name'],
    ['invalid name', base([...REQUIRED, { name: '1X', type: 'int' }]), undefined, 'avro-field-name-invalid'],
    ['too many interaction metadata fields', base([...REQUIRED, ...[1, 2, 3, 4, 5, 6].map((k) => ({ name: `M${k}`, type: 'int' }))]), undefined, 'avro-too-many-fields'],
    ['string metadata ignored by training', base([...REQUIRED, { name: 'DEVICE', type: 'string' }]), undefined, 'avro-string-ignored'],
  ] as const)('%s', (_label, json, type, code) => {
    expect(codes(json, type)).toContain(code);
  });

  it('checks Items: one textual field, at least one metadata field, field-count limit', () => {
    const items = (fields: unknown[]): unknown => base([{ name: 'ITEM_ID', type: 'string' }, ...fields], { name: 'Items' });
    expect(codes(items([]))).toContain('avro-no-metadata');
    expect(codes(items([{ name: 'A', type: 'string', textual: true }, { name: 'B', type: 'string', textual: true }]))).toContain('avro-textual-multiple');
    expect(codes(items(Array.from({ length: 100 }, (_, k) => ({ name: `F${k}`, type: 'int' }))))).toContain('avro-too-many-fields');
    expect(codes(items([{ name: 'CREATION_TIMESTAMP', type: 'long' }, { name: 'PRICE', type: 'float' }]))).toEqual([]);
  });

  it('limits Users to 25 fields', () => {
    const users = base([{ name: 'USER_ID', type: 'string' }, ...Array.from({ length: 25 }, (_, k) => ({ name: `F${k}`, type: 'int' }))], { name: 'Users' });
    expect(codes(users)).toContain('avro-too-many-fields');
  });

  it('rejects a schema text longer than CreateSchema accepts', () => {
    const json = base(REQUIRED);
    expect(validateAvroSchema(json, 's.avsc', undefined, JSON.stringify(json) + ' '.repeat(20_001)).map((d) => d.code)).toContain('avro-schema-too-long');
  });
});
