import type { IdDictionary } from './id-dictionary.ts';

/** Custom recipes the engine can train, by their Personalize recipe name. */
export type RecipeName =
  | 'aws-popularity-count'
  | 'aws-sims'
  | 'aws-similar-items'
  | 'aws-user-personalization'
  | 'aws-user-personalization-v2'
  | 'aws-personalized-ranking'
  | 'aws-personalized-ranking-v2';

/** The model family that implements a recipe. */
export type ModelFamily = 'popularity' | 'sims' | 'user-personalization';

/**
 * Interactions in columns, one row per event. Invariants: every column has `length` entries;
 * `user[i]` and `item[i]` index `users` and `items`; `eventType[i]` indexes `eventTypes` or is -1
 * when the event has no type; `eventValue[i]` is NaN when absent; timestamps are epoch seconds.
 */
export interface Interactions {
  readonly length: number;
  readonly user: Int32Array;
  readonly item: Int32Array;
  readonly timestamp: Float64Array;
  readonly eventType: Int32Array;
  readonly eventValue: Float64Array;
}

/** A categorical or textual column: row r holds the value ids `codes[offsets[r] .. offsets[r+1])`. */
export interface MultiValueColumn {
  readonly name: string;
  readonly kind: 'categorical' | 'textual';
  readonly values: IdDictionary;
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
}

/** A numeric column; NaN where the value is missing. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

export type MetadataColumn = MultiValueColumn | NumericColumn;

/**
 * Item or user metadata. Invariants: `entity[r]` is the item (or user) index of row r in the
 * shared dictionary; every column has one entry per row; an entity appears in at most one row
 * (a later record for the same id replaces the earlier one at load time).
 */
export interface MetadataTable {
  readonly rows: number;
  readonly entity: Int32Array;
  readonly columns: readonly MetadataColumn[];
}

/**
 * Everything a model trains on. The dictionaries cover every id seen in any of the three
 * datasets, so an item that only appears in Items metadata is a (cold) catalogue item.
 */
export interface EngineData {
  readonly users: IdDictionary;
  readonly items: IdDictionary;
  readonly eventTypes: IdDictionary;
  readonly interactions: Interactions;
  readonly itemMetadata?: MetadataTable;
  readonly userMetadata?: MetadataTable;
}

/** Hyperparameters exactly as Personalize carries them: strings by name. */
export type HyperParameters = Readonly<Record<string, string>>;

/** Which events train the model, as `Solution.eventType` and `solutionConfig.eventValueThreshold`. */
export interface EventFilter {
  readonly eventType?: string;
  readonly eventValueThreshold?: number;
}

export interface TrainOptions {
  readonly recipe: RecipeName;
  readonly data: EngineData;
  readonly params?: HyperParameters;
  readonly seed?: number;
  readonly filter?: EventFilter;
}

export interface Recommendation {
  readonly itemId: string;
  readonly score: number;
}

/**
 * A trained model. Invariants: every method is deterministic; results are ordered by score
 * descending, ties by item index; unknown user or item ids are cold and get the model's
 * fallback (popularity) instead of an error, as Personalize does.
 */
export interface Model {
  readonly recipe: RecipeName;
  readonly family: ModelFamily;
  recommend(userId: string, k: number, exclude?: ReadonlySet<string>): Recommendation[];
  relatedItems(itemId: string, k: number, exclude?: ReadonlySet<string>): Recommendation[];
  /** Re-orders `itemIds` for the user; ids unknown to the model go last, in their given order. */
  rank(userId: string, itemIds: readonly string[]): Recommendation[];
}

export type EngineFailureCode =
  | 'unknown-recipe'
  | 'invalid-hyperparameter'
  | 'no-interactions'
  | 'insufficient-data'
  | 'corrupt-model';

/** Why training, evaluation or deserialization failed; `message` is fit for a `failureReason`. */
export interface EngineFailure {
  readonly code: EngineFailureCode;
  readonly message: string;
}

export type EngineResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: EngineFailure };
