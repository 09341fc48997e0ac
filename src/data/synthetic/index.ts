export { generateRetailData, EVENT_TYPES, INTERACTION_COLUMNS } from './generate.ts';
export type { EventType, RetailDataOptions, RetailDataResult } from './generate.ts';
export { EXAMPLE_DATA } from './example.ts';
