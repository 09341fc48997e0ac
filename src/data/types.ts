import type { DatasetType } from '../manifest/types.ts';
import type { DataFinding } from './findings.ts';
import type { IdCounter } from './id-counter.ts';

/** Order statistics of a count distribution (interactions per user or per item). Exact. */
export interface CountQuantiles {
  readonly min: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Interactions in one calendar week (weeks start on Thursday 1970-01-01, i.e. epoch-aligned). */
export interface WeekCount {
  /** Epoch seconds at which the week starts. */
  readonly start: number;
  readonly count: number;
}

/** Retraining cadence suggested from how fast the most popular items change. */
export type RetrainCadence = 'daily' | 'weekly' | 'monthly' | 'unknown';

/**
 * What an interactions file looks like. Shares are in [0, 1]. `duplicateEventShare` and
 * `repeatedPairShare` come from HyperLogLog estimates (about 1% error on large files).
 */
export interface InteractionsProfile {
  readonly users: number;
  readonly items: number;
  readonly usersWithTwoInteractions: number;
  /** Epoch seconds; absent when no row had a valid timestamp. */
  readonly firstTimestamp?: number;
  readonly lastTimestamp?: number;
  readonly perUser: CountQuantiles;
  readonly perItem: CountQuantiles;
  /** Distinct event types with their counts, most frequent first (at most 50 listed). */
  readonly eventTypes: readonly { readonly type: string; readonly count: number }[];
  readonly distinctEventTypes: number;
  /** 1 - distinct (user, item) pairs / (users × items). */
  readonly sparsity: number;
  readonly duplicateEventShare: number;
  readonly repeatedPairShare: number;
  /** Share of interactions on the most popular 1% of items (at least one item). */
  readonly topItemShare: number;
  /** Least-squares slope of log(count) against log(rank) over items; around -1 is a classic long tail. */
  readonly powerLawSlope?: number;
  readonly weekly: readonly WeekCount[];
  /** Mean week-over-week share of the top-20 items that left the top 20; absent under 4 weeks. */
  readonly weeklyTopItemTurnover?: number;
  readonly suggestedRetraining: RetrainCadence;
  /** Per requested filter: interactions kept, and users left with at least two of them. */
  readonly filters: readonly FilterCount[];
}

/** An event filter as a solution applies it (`eventType`, `eventValueThreshold`). */
export interface InteractionFilter {
  /** Names the filter in messages, e.g. the solution's key. */
  readonly label: string;
  readonly eventType?: string;
  readonly eventValueThreshold?: number;
}

export interface FilterCount {
  readonly filter: InteractionFilter;
  readonly interactions: number;
  readonly usersWithTwoInteractions: number;
}

/** Per column: how many values were empty (null) and, for categorical columns, distinct values (capped). */
export interface ColumnProfile {
  readonly name: string;
  readonly missing: number;
  readonly distinct?: number;
  /** True when `distinct` hit its cap and is a lower bound. */
  readonly distinctCapped?: boolean;
}

/**
 * Everything measured about one file. `rows` excludes the header. `interactions` is present for
 * INTERACTIONS files whose header could be mapped.
 */
export interface FileProfile {
  readonly bytes: number;
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
  readonly interactions?: InteractionsProfile;
}

/** Distinct ids seen in a file, for cross-file checks; not part of any rendering. */
export interface FileIds {
  readonly users?: IdCounter;
  readonly items?: IdCounter;
}

/**
 * The outcome of validating one data file. Invariant: `totals` counts every occurrence, including
 * those beyond `maxErrors` that `findings` does not detail (`truncated` is then true).
 */
export interface DataFileResult {
  readonly file: string;
  readonly datasetType: DatasetType;
  readonly findings: readonly DataFinding[];
  readonly totals: { readonly error: number; readonly warning: number; readonly info: number };
  readonly truncated: boolean;
  readonly profile: FileProfile;
  readonly ids: FileIds;
}

/** All files of one dataset group plus the rules that need them together. */
export interface DatasetGroupReport {
  readonly files: readonly DataFileResult[];
  readonly group: readonly DataFinding[];
}
