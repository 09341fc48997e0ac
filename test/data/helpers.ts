import type { AvroRecordSchema } from '../../src/manifest/types.ts';

export const INTERACTIONS_SCHEMA: AvroRecordSchema = {
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
  version: '1.0',
};

export const ITEMS_SCHEMA: AvroRecordSchema = {
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRE', type: ['null', 'string'], categorical: true },
  ],
};

/** A CSV body as a one-chunk byte stream. */
export async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** Interaction rows `user,item,timestamp,type`, one per tuple. */
export function rows(list: readonly (readonly [string, string, number, string])[]): string {
  return `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n${list.map((r) => r.join(',')).join('\n')}\n`;
}
