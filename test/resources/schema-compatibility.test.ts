import { describe, expect, it } from 'vitest';
import type { Json, Props } from '../../src/resources/kind.ts';
import { schemaFieldsOfBody, schemaUpdateSemantics } from '../../src/resources/schema-compatibility.ts';

const OLD: Json = [
  { name: 'ITEM_ID', type: 'string' },
  { name: 'CATEGORY', type: 'string', categorical: true },
];

function props(datasetType: string, schemaFields: Json): Props {
  return { datasetType, schema: 'x', schemaFields };
}

describe('schemaUpdateSemantics (UpdateDataset or replace)', () => {
  it('allows an in-place update of an Items dataset that adds a nullable field', () => {
    const added = [...(OLD as Json[]), { name: 'PRICE', type: ['null', 'float'] }];
    expect(schemaUpdateSemantics(props('ITEMS', added), props('ITEMS', OLD))).toBe('in-place');
    expect(schemaUpdateSemantics(props('USERS', added), props('USERS', OLD))).toBe('in-place');
  });

  it('treats a union in another order as the same type', () => {
    const before = [{ name: 'ITEM_ID', type: 'string' }, { name: 'A', type: ['null', 'string'] }];
    const after = [{ name: 'ITEM_ID', type: 'string' }, { name: 'A', type: ['string', 'null'] }, { name: 'B', type: ['null', 'int'] }];
    expect(schemaUpdateSemantics(props('ITEMS', after), props('ITEMS', before))).toBe('in-place');
  });

  it('replaces an Interactions dataset whatever the schema change', () => {
    const added = [...(OLD as Json[]), { name: 'PRICE', type: ['null', 'float'] }];
    expect(schemaUpdateSemantics(props('INTERACTIONS', added), props('INTERACTIONS', OLD))).toBe('replace');
  });

  it('replaces when a field is dropped, retyped, loses an attribute, or a new field is not nullable', () => {
    const dropped = [{ name: 'ITEM_ID', type: 'string' }];
    const retyped = [{ name: 'ITEM_ID', type: 'string' }, { name: 'CATEGORY', type: 'int', categorical: true }];
    const attribute = [{ name: 'ITEM_ID', type: 'string' }, { name: 'CATEGORY', type: 'string' }];
    const required = [...(OLD as Json[]), { name: 'PRICE', type: 'float' }];
    for (const after of [dropped, retyped, attribute, required]) expect(schemaUpdateSemantics(props('ITEMS', after), props('ITEMS', OLD))).toBe('replace');
  });

  it('replaces when the live schema could not be read', () => {
    expect(schemaUpdateSemantics(props('ITEMS', OLD), props('ITEMS', null))).toBe('replace');
  });

  it('reads the fields of a live schema body, null for something that is not an Avro record', () => {
    const body = JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'C', type: ['null', 'string'], categorical: true }] });
    expect(schemaFieldsOfBody(body)).toEqual([{ name: 'ITEM_ID', type: 'string' }, { name: 'C', type: ['null', 'string'], categorical: true }]);
    expect(schemaFieldsOfBody('not json')).toBeNull();
    expect(schemaFieldsOfBody(JSON.stringify({ type: 'record', fields: [{ name: 'X', type: { type: 'array' } }] }))).toBeNull();
  });
});
