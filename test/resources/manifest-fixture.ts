import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/manifest/avro.ts';
import type { AvroField, DatasetGroupSpec, DatasetKey, DatasetSpec, DatasetType, Domain, EnvironmentSpec, Manifest, SchemaSpec } from '../../src/manifest/types.ts';
import { DATASET_TYPE_OF } from '../../src/manifest/types.ts';

/** Builds typed manifests for tests without YAML: the compiler and kinds only see `Manifest`. */
export const BASE_DIR = '/poc';

export function schemaSpec(key: string, datasetType: DatasetType, fields: readonly AvroField[], domain?: Domain): SchemaSpec {
  const name = datasetType === 'INTERACTIONS' ? 'Interactions' : datasetType === 'ITEMS' ? 'Items' : 'Users';
  const avro = { type: 'record' as const, name, namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' };
  const canonical = canonicalJson(avro);
  return { key, file: `${BASE_DIR}/schemas/${key}.avsc`, avro, canonical, sha256: createHash('sha256').update(canonical).digest('hex'), datasetType, ...(domain === undefined ? {} : { domain }) };
}

export const INTERACTIONS_FIELDS: readonly AvroField[] = [
  { name: 'USER_ID', type: 'string' },
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TIMESTAMP', type: 'long' },
  { name: 'EVENT_TYPE', type: 'string' },
];

export const ITEMS_FIELDS: readonly AvroField[] = [
  { name: 'ITEM_ID', type: 'string' },
  { name: 'CATEGORY', type: 'string', categorical: true },
];

export function datasetSpec(key: DatasetKey, schema: string, dataAsWritten: string, importMode: 'FULL' | 'INCREMENTAL' = 'FULL'): DatasetSpec {
  return {
    key,
    type: DATASET_TYPE_OF[key],
    schema,
    data: `${BASE_DIR}/${dataAsWritten.replace(/^\.\//, '')}`,
    dataAsWritten,
    importMode,
    at: { file: `${BASE_DIR}/poc.yaml`, line: 20, column: 7 },
  };
}

export function groupSpec(key: string, datasets: Partial<Record<DatasetKey, DatasetSpec>>, extra: { domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND'; protect?: boolean } = {}): DatasetGroupSpec {
  return { key, datasets, protect: extra.protect ?? false, at: { file: `${BASE_DIR}/poc.yaml`, line: 10, column: 3 }, ...(extra.domain === undefined ? {} : { domain: extra.domain }) };
}

export function manifestOf(parts: {
  name?: string;
  environment?: EnvironmentSpec;
  schemas: readonly SchemaSpec[];
  groups: readonly DatasetGroupSpec[];
}): Manifest {
  const name = parts.name ?? 'shop';
  return {
    version: 1,
    name,
    region: 'us-east-1',
    environment: parts.environment ?? { mode: 'stack', stackName: `${name}-env` },
    schemas: Object.fromEntries(parts.schemas.map((s) => [s.key, s])),
    datasetGroups: Object.fromEntries(parts.groups.map((g) => [g.key, g])),
    prune: false,
    validation: { thresholds: {} },
    source: {
      file: `${BASE_DIR}/poc.yaml`,
      baseDir: BASE_DIR,
      text: '',
      // Deterministic fake positions: the line is the path depth, so tests can tell paths apart.
      locate: (path) => ({ file: `${BASE_DIR}/poc.yaml`, line: path.length, column: 1 }),
    },
  };
}

export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
