export * from './avro-rules.ts';
export * from './avro-schema.ts';
export * from './csv.ts';
export * from './dataset-group.ts';
export * from './domain-rules.ts';
export * from './findings.ts';
export * from './thresholds.ts';
export * from './types.ts';
export { validateDataFile, type ValidateDataFileOptions } from './validate-file.ts';
