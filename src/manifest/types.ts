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
  /**
   * The `environments` key this manifest was loaded for (`--env`); `name` and `region` above are
   * then that environment's. Absent when the top level applies as written.
   */
  readonly selectedEnvironment?: string;
  /** The report's baseline and gates; absent when poc.yaml has no `evaluation` section. */
  readonly evaluation?: EvaluationSpec;
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
  /** Solutions trained on this group's data, by key (absent or empty: none). */
  readonly solutions?: Readonly<Record<string, SolutionSpec>>;
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

// --- Solutions and evaluation (issue 5) -------------------------------------------------------

/**
 * When apply trains a new solution version. `on-data-change`: when the group's imported data or
 * the solution's training configuration differ from what the newest version was trained on;
 * `manual`: only when the solution has no version yet; `always`: on every apply.
 */
export type RetrainPolicy = 'on-data-change' | 'manual' | 'always';

export const RETRAIN_POLICIES: readonly RetrainPolicy[] = ['on-data-change', 'manual', 'always'];

/** HPO as CreateSolution's `solutionConfig.hpoConfig` carries it (resource counts are strings there). */
export interface HpoSpec {
  readonly objective?: { readonly type?: string; readonly metricName?: string; readonly metricRegex?: string };
  readonly resources?: { readonly maxNumberOfTrainingJobs?: number; readonly maxParallelTrainingJobs?: number };
  readonly ranges?: {
    readonly integer?: readonly { readonly name: string; readonly minValue: number; readonly maxValue: number }[];
    readonly continuous?: readonly { readonly name: string; readonly minValue: number; readonly maxValue: number }[];
    readonly categorical?: readonly { readonly name: string; readonly values: readonly string[] }[];
  };
}

/**
 * One solution. Invariants: `recipeArn` is `arn:aws:personalize:::recipe/<known custom recipe>`
 * (a short name in poc.yaml is expanded); the generated names fit 63 characters;
 * `autoTraining` is explicit: false unless poc.yaml turns it on (the service's default is on).
 */
export interface SolutionSpec {
  readonly key: string;
  readonly group: string;
  readonly recipeArn: string;
  /** The recipe's short name (`aws-sims`), for reports. */
  readonly recipe: string;
  readonly eventType?: string;
  /** CreateSolution carries it as a string. */
  readonly eventValueThreshold?: string;
  /** Absent: no HPO. */
  readonly hpo?: HpoSpec;
  readonly algorithmHyperParameters: Readonly<Record<string, string>>;
  readonly featureTransformationParameters: Readonly<Record<string, string>>;
  readonly trainingDataConfig?: {
    readonly excludedDatasetColumns?: Readonly<Record<string, readonly string[]>>;
    readonly includedDatasetColumns?: Readonly<Record<string, readonly string[]>>;
  };
  readonly autoTraining: boolean;
  /** `rate(N days)`; only with `autoTraining`. */
  readonly autoTrainingSchedule?: string;
  readonly retrain: RetrainPolicy;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

/** A solution named across groups: `<group>.<solution>` in poc.yaml and reports. */
export type SolutionRef = string;

/**
 * A condition the report checks (`poc report --check` exits 1 when one fails). Either the
 * solution must beat another by at least `byPercent` (relative, 0 = strictly better), or reach
 * `min`. Invariant: the referenced solutions are declared.
 */
export type GateSpec =
  | { readonly kind: 'beats'; readonly name: string; readonly solution: SolutionRef; readonly metric: string; readonly other: SolutionRef; readonly byPercent: number; readonly at: SourceLocation }
  | { readonly kind: 'min'; readonly name: string; readonly solution: SolutionRef; readonly metric: string; readonly min: number; readonly at: SourceLocation };

export interface EvaluationSpec {
  /** The solution others are compared with (the "previous approach"), if any. */
  readonly baseline?: SolutionRef;
  readonly gates: readonly GateSpec[];
}
