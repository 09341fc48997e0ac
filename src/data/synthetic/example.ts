import type { RetailDataOptions } from './generate.ts';

/**
 * The options that made the committed data/ folder. Small enough that the quick start imports and
 * trains in moments, large enough to pass Personalize's minimums with room to spare.
 */
export const EXAMPLE_DATA: RetailDataOptions = { users: 1500, items: 500, interactions: 40_000, seed: 20240601 };
