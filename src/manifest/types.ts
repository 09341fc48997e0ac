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
  /** `schemas.<key>.name`: the AWS name of a schema made elsewhere (adopted); absent: `<poc>-<key>-<sha8>`. */
  readonly name?: string;
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
  /** `name:`: the AWS name of an adopted group; absent: `<poc>-<key>`. */
  readonly name?: string;
  /** The group's own KMS key (an adopted group's); absent: the stack environment's, if any. */
  readonly kmsKeyArn?: string;
  readonly domain?: Domain;
  readonly datasets: Readonly<Partial<Record<DatasetKey, DatasetSpec>>>;
  readonly protect: boolean;
  /** Where the group is declared. */
  readonly at: SourceLocation;
  /** Solutions trained on this group's data, by key (absent or empty: none). */
  readonly solutions?: Readonly<Record<string, SolutionSpec>>;
  /** Recommenders, by key; only domain groups have them (absent: none). */
  readonly recommenders?: Readonly<Record<string, RecommenderSpec>>;
  /** Campaigns serving this group's solutions, by key (absent: none). */
  readonly campaigns?: Readonly<Record<string, CampaignSpec>>;
  /** Filters on this group's data, by key (absent: none). */
  readonly filters?: Readonly<Record<string, FilterSpec>>;
  /** The group's event tracker, at most one (absent: none). */
  readonly eventTracker?: EventTrackerSpec;
  /** Batch inference jobs on this group's solutions, by key (absent: none). */
  readonly batchInferenceJobs?: Readonly<Record<string, BatchJobSpec>>;
  /** Batch segment jobs on this group's USER_SEGMENTATION solutions, by key (absent: none). */
  readonly batchSegmentJobs?: Readonly<Record<string, BatchJobSpec>>;
  /** The group's metric attribution, at most one (absent: none). */
  readonly metricAttribution?: MetricAttributionSpec;
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
  /** `name:`: the AWS name of an adopted dataset; absent: `<poc>-<group>-<key>`. */
  readonly name?: string;
  /**
   * `importedFrom:` the S3 object (`s3://bucket/key`) an adopted import job read. While it holds
   * the same bytes as `data`, it stands for the upload and that job for the import.
   */
  readonly importedFrom?: string;
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
  /** `name:`: the AWS name of an adopted solution; absent: `<poc>-<group>-<key>`. */
  readonly name?: string;
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

// --- Serving (issue 6) ------------------------------------------------------------------------

/** campaignConfig.itemExplorationConfig; only User-Personalization recipes explore. */
export interface ItemExplorationSpec {
  /** 0 to 1: how much to recommend new or rarely seen items. */
  readonly weight?: number;
  /** Items older than this many days (at least 1) are not explored. */
  readonly itemAgeCutOffDays?: number;
}

/**
 * A campaign. Invariants: `solution` is a solution key of the same group; `itemExploration` only
 * with a User-Personalization recipe; the AWS name (`name` or `<poc>-<group>-<key>`) fits 63
 * characters. The campaign serves the newest version trained for the solution.
 */
export interface CampaignSpec {
  readonly key: string;
  readonly group: string;
  /** `name:`: the AWS name of an adopted campaign; absent: `<poc>-<group>-<key>`. */
  readonly name?: string;
  readonly solution: string;
  /** At least 1: the billed floor of provisioned transactions per second. */
  readonly minProvisionedTPS: number;
  readonly itemExploration?: ItemExplorationSpec;
  readonly enableMetadataWithRecommendations: boolean;
  readonly syncWithLatestSolutionVersion: boolean;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

/** A filter. Invariant: `expression` parses (checked at validate time). Filters are immutable. */
export interface FilterSpec {
  readonly key: string;
  readonly group: string;
  /** `name:`: the AWS name of an adopted filter; absent: `<poc>-<group>-<key>`. */
  readonly name?: string;
  readonly expression: string;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

/** The group's event tracker (its tracking id is what PutEvents needs). */
export interface EventTrackerSpec {
  readonly group: string;
  /** `name:`: the AWS name of an adopted tracker; absent: `<poc>-<group>-tracker`. */
  readonly name?: string;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

// --- Recommenders (issue 6) -------------------------------------------------------------------

/**
 * A recommender of a domain dataset group. Invariants: `recipeArn` is a use case of the group's
 * domain (`arn:aws:personalize:::recipe/aws-ecomm-...` or `aws-vod-...`); the AWS name (`name` or
 * `<poc>-<group>-<key>`) fits 63 characters; `minRequestsPerSecond` is at least 1.
 */
export interface RecommenderSpec {
  readonly key: string;
  readonly group: string;
  /** `name:` overrides the generated `<poc>-<group>-<key>`. */
  readonly name?: string;
  readonly recipeArn: string;
  /** The use case's short name (`aws-ecomm-recommended-for-you`). */
  readonly recipe: string;
  /** recommenderConfig.minRecommendationRequestsPerSecond: the billed floor (default 1). */
  readonly minRequestsPerSecond: number;
  readonly itemExploration?: ItemExplorationSpec;
  readonly enableMetadataWithRecommendations: boolean;
  readonly trainingDataConfig?: SolutionSpec['trainingDataConfig'];
  /** StopRecommender: a stopped recommender neither serves nor bills. */
  readonly stopped: boolean;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

// --- Batch jobs and metric attribution (issue 6) ----------------------------------------------

/**
 * Where a batch job reads its JSON Lines input. `file`: a local file, checked at validate time
 * and uploaded content-addressed like data files (`sha256` of its bytes); `s3`: an object or
 * prefix the job reads as it is, unchecked.
 */
export type BatchInputSpec =
  | { readonly kind: 'file'; readonly path: string; readonly asWritten: string; readonly sha256: string }
  | { readonly kind: 's3'; readonly uri: string };

export type BatchJobType = 'inference' | 'segment';

/**
 * One batch inference or segment job. Invariants: `solution` and `filter` are keys declared in the
 * same group; the solution's recipe suits the job type (USER_SEGMENTATION exactly for segment
 * jobs); a local input file is JSON Lines of the shape that recipe reads; `output` is the absolute
 * local folder results are downloaded into.
 */
export interface BatchJobSpec {
  readonly key: string;
  readonly group: string;
  readonly type: BatchJobType;
  /** `name:` replaces the generated `<poc>-<group>-<key>` before the job's content hash. */
  readonly name?: string;
  readonly solution: string;
  readonly input: BatchInputSpec;
  readonly output: string;
  readonly outputAsWritten: string;
  readonly numResults?: number;
  readonly filter?: string;
  readonly protect: boolean;
  readonly at: SourceLocation;
}

/** One metric of a metric attribution: `expression` is `SUM(Interactions.X)`, `SUM(Items.X)` or `SAMPLECOUNT()`. */
export interface MetricSpec {
  readonly name: string;
  readonly eventType: string;
  readonly expression: string;
}

/**
 * A dataset group's metric attribution. Invariants: 1-10 metrics with distinct names; `output`,
 * when set, is an `s3://` URI (absent: the POC's bucket under `<poc>/metrics/`).
 */
export interface MetricAttributionSpec {
  readonly group: string;
  readonly name?: string;
  readonly metrics: readonly MetricSpec[];
  readonly output?: string;
  readonly protect: boolean;
  readonly at: SourceLocation;
}
