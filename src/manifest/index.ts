export * from './types.ts';
export * from './load.ts';
export * from './naming.ts';
export * from './regions.ts';
export { canonicalJson } from './avro.ts';
export { MANIFEST_SCHEMA_FILE } from './schema-check.ts';
export * from './environments.ts';
export * from './recipes.ts';
