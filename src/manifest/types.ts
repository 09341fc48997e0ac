import type { SourceLocation } from '../diagnostics/index.ts';

/**
 * The typed manifest: what `poc.yaml` says once it has passed JSON Schema and semantic checks.
 * Invariants: every reference resolves (a dataset's `schema` names a key of `schemas`); every
 * path is absolute; every generated AWS name fits the service's 63-character rule. A `Manifest`
 * value only exists for input without errors.
 */
export interface Manifest {
  readonly version: 1;
  /** Prefix of every resource name and value of the `poc:name` tag. */
  readonly name: string;
  readonly region: string;
  readonly environment: EnvironmentSpec;
  readonly schemas: Readonly<Record<string, SchemaSpec>>;
  readonly datasetGroups: Readonly<Record<string, DatasetGroupSpec>>;
  /** Delete resources tagged with this POC that the manifest no longer declares. */
  readonly prune: boolean;
  /** Tuning for data validation warnings; keys and defaults are in `src/data/thresholds.ts`. */
  readonly validation: ValidationSpec;
  /** Where the manifest came from, for digests, messages and resolving relative paths. */
  readonly source: ManifestSource;
}

export interface ManifestSource {
  /** Absolute path of poc.yaml. */
  readonly file: string;
  /** Directory relative paths in the manifest are resolved against. */
  readonly baseDir: string;
  /** The exact bytes read, for the manifest digest. */
  readonly text: string;
  /** Where a path in the manifest (e.g. `['datasetGroups','baseline']`) is written. */
  locate(path: readonly (string | number)[]): SourceLocation;
}

export type EnvironmentSpec =
  | { readonly mode: 'stack'; readonly stackName: string; readonly kmsKeyArn?: string }
  | { readonly mode: 'existing'; readonly bucket: string; readonly roleArn: string };

export type DatasetType = 'INTERACTIONS' | 'ITEMS' | 'USERS';

/** The manifest's lower-case keys for dataset types, in the order datasets are listed. */
export const DATASET_KEYS = ['interactions', 'items', 'users'] as const;
export type DatasetKey = (typeof DATASET_KEYS)[number];

export const DATASET_TYPE_OF: Readonly<Record<DatasetKey, DatasetType>> = {
  interactions: 'INTERACTIONS',
  items: 'ITEMS',
  users: 'USERS',
};

export interface SchemaSpec {
  readonly key: string;
  /** Absolute path of the .avsc file. */
  readonly file: string;
  /** The Avro schema as written (parsed JSON), and canonical text (sorted keys, no spaces) for hashing. */
  readonly avro: AvroRecordSchema;
  readonly canonical: string;
  /** sha256 of `canonical`, hex. */
  readonly sha256: string;
  /** From the record name (`Interactions`, `Items`, `Users`). */
  readonly datasetType: DatasetType;
  /**
   * CreateSchema's `domain`: that of the domain dataset groups using this schema, absent when
   * custom groups use it. Validation guarantees one schema never serves two domains.
   */
  readonly domain?: Domain;
}

export interface AvroField {
  readonly name: string;
  readonly type: string | readonly string[];
  readonly categorical?: boolean;
  readonly textual?: boolean;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly fields: readonly AvroField[];
  readonly version?: string;
}

export type Domain = 'ECOMMERCE' | 'VIDEO_ON_DEMAND';

export interface DatasetGroupSpec {
  readonly key: string;
  readonly domain?: Domain;
  readonly datasets: Readonly<Partial<Record<DatasetKey, DatasetSpec>>>;
  readonly protect: boolean;
  /** Where the group is declared. */
  readonly at: SourceLocation;
}

export type ImportMode = 'FULL' | 'INCREMENTAL';

export interface DatasetSpec {
  readonly key: DatasetKey;
  readonly type: DatasetType;
  /** Key into `Manifest.schemas`. */
  readonly schema: string;
  /** Absolute path of the local CSV file. */
  readonly data: string;
  /** The path as written in poc.yaml, for messages and S3 object names. */
  readonly dataAsWritten: string;
  readonly importMode: ImportMode;
  readonly at: SourceLocation;
}

export interface ValidationSpec {
  /** Overrides of the warning thresholds, by the names in `src/data/thresholds.ts`. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Bound on findings printed per file. */
  readonly maxErrors?: number;
}
