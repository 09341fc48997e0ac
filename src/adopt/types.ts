import type { Campaign, Dataset, DatasetGroup, DatasetImportJob, DatasetSchema, EventTrackerSummary, Filter, Recommender, Solution, SolutionVersionSummary } from '@aws-sdk/client-personalize';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { DatasetKey } from '../manifest/types.ts';

/**
 * One dataset of the adopted group as the service describes it. Invariant: `schema.schema` is
 * the Avro body the service holds; `source` is the newest ACTIVE import job, absent when the
 * dataset has none.
 */
export interface DatasetSnapshot {
  readonly key: DatasetKey;
  readonly dataset: Dataset;
  readonly schema: DatasetSchema;
  readonly source?: DatasetImportJob;
  /** The newest job of any status, when it is not `source` (a later failed or running one). */
  readonly newerJob?: { readonly name: string; readonly status: string };
}

/** One solution with its versions (newest first), as the service describes them. */
export interface SolutionSnapshot {
  readonly solution: Solution;
  readonly versions: readonly SolutionVersionSummary[];
}

/**
 * Resources of kinds `poc import` does not write into poc.yaml, by kind label (`batch inference
 * job`, `metric attribution`...), each with its AWS name: they are reported, never silently dropped.
 */
export type OtherResources = Readonly<Record<string, readonly string[]>>;

/**
 * Everything read about one dataset group, before any decision about poc.yaml. Invariant:
 * `group.name` and `group.datasetGroupArn` are set; `datasets` are in DATASET_KEYS order.
 */
export interface GroupSnapshot {
  readonly group: DatasetGroup;
  readonly datasets: readonly DatasetSnapshot[];
  readonly solutions: readonly SolutionSnapshot[];
  /** Serving resources, as Describe (or, for trackers, List) returns them; empty where the endpoint has none. */
  readonly campaigns: readonly Campaign[];
  readonly filters: readonly Filter[];
  readonly eventTrackers: readonly EventTrackerSummary[];
  readonly recommenders: readonly Recommender[];
  readonly others: OtherResources;
}

/** A poc.yaml entry as plain data, keys in the order they are written. */
export type Entry = Record<string, unknown>;

/** A comment written above the key at `path` in poc.yaml. */
export interface Note {
  readonly path: readonly string[];
  readonly text: string;
}

/** What `poc import` was asked for. `outDir` is absolute. */
export interface AdoptOptions {
  readonly datasetGroup: string;
  readonly outDir: string;
  /** The POC name (`name:` in poc.yaml); default: derived from the group's name. */
  readonly pocName?: string;
  readonly region: string;
  /** Overwrite an existing poc.yaml (and the schema and data files it writes). */
  readonly force: boolean;
}

/** One file `poc import` wrote, relative to `outDir`, and what it holds. */
export interface WrittenFile {
  readonly path: string;
  readonly what: 'manifest' | 'schema' | 'data';
  readonly bytes: number;
}

/**
 * The outcome. `ok`: the files are written and `diagnostics` holds warnings only (each naming
 * something poc.yaml does not describe, or describes with a caveat, also commented in the file).
 * Not ok: nothing was written, and `diagnostics` says why.
 */
export type AdoptResult =
  | { readonly ok: true; readonly pocName: string; readonly files: readonly WrittenFile[]; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };
