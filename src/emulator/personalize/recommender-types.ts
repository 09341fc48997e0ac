import { join } from 'node:path';
import { invalidInput, notFound } from './errors.ts';
import type { ServiceState } from './operation.ts';
import { structure, type Shape, type StructureShape } from './shapes.ts';
import { SOLUTION_CONFIG } from './solution-shapes.ts';
import type { JsonObject, VersionArtifacts } from './solution-types.ts';
import type { ResourceRecord, ResourceStatus } from './store.ts';

export const RECOMMENDER = 'recommender';
/** An UpdateRecommender in flight: a record of its own, so the recommender stays ACTIVE meanwhile. */
export const RECOMMENDER_UPDATE = 'recommenderUpdate';

/** The most recommenders one dataset group holds (facts section 8). */
export const MAX_RECOMMENDERS_PER_GROUP = 5;

/** The latest UpdateRecommender as Describe reports it (`latestRecommenderUpdate`). */
export interface RecommenderUpdateSummary {
  readonly recommenderConfig: JsonObject;
  readonly createdAt: number;
  updatedAt: number;
  status: ResourceStatus;
  failureReason?: string;
}

/**
 * A recommender. Invariants: `recipeArn` is a use case of the group's domain; `recommenderConfig`
 * is the configuration being served (an update replaces it only when it turns ACTIVE);
 * `artifacts` is set once a training succeeded and names the model being served, in the same
 * shape as a solution version's, so serving code reads both alike.
 */
export interface RecommenderAttrs {
  readonly datasetGroupArn: string;
  readonly recipeArn: string;
  recommenderConfig: JsonObject;
  latestUpdate?: RecommenderUpdateSummary;
  artifacts?: VersionArtifacts;
}

/** An update record: the whole new configuration, and whether it retrains (a column change). */
export interface RecommenderUpdateAttrs {
  readonly recommenderArn: string;
  readonly recommenderConfig: JsonObject;
  readonly retrain: boolean;
}

/** Update statuses during which the recommender cannot be updated, stopped or deleted. */
export function updateInFlight(attrs: RecommenderAttrs): boolean {
  const status = attrs.latestUpdate?.status;
  return status === 'CREATE PENDING' || status === 'CREATE IN_PROGRESS';
}

export function getRecommender(state: ServiceState, arn: string): ResourceRecord<RecommenderAttrs> {
  const record = state.store.find<RecommenderAttrs>(RECOMMENDER, arn);
  if (record === undefined) throw notFound('recommender', arn);
  return record;
}

/** Where one training of a recommender keeps its model, relative to the Personalize state directory. */
export function recommenderModelDir(recommenderName: string, id: string): string {
  return join(RECOMMENDER_MODELS, recommenderName, id);
}

/** Apart from solution models (`models/`), whose sweep removes folders no solution version names. */
export const RECOMMENDER_MODELS = 'recommender-models';

const solutionMembers = (SOLUTION_CONFIG as StructureShape).members;
const text = (max: number): Shape => ({ type: 'string', max });

/** RecommenderConfig after the Smithy model; trainingDataConfig is the same shape as a solution's. */
export const RECOMMENDER_CONFIG: Shape = structure({
  itemExplorationConfig: { type: 'map', max: 100, key: text(256), value: text(1000) },
  minRecommendationRequestsPerSecond: { type: 'integer', min: 1 },
  trainingDataConfig: solutionMembers['trainingDataConfig'] ?? structure({}),
  enableMetadataWithRecommendations: { type: 'boolean' },
});

const EXPLORATION_KEYS = new Set(['explorationWeight', 'explorationItemAgeCutOff']);

/**
 * The configuration as stored and described: as sent, with the service's default of one request
 * per second filled in. Checks the item exploration values the shape cannot (strings in a map).
 */
export function normalizeConfig(raw: unknown): JsonObject {
  const config = (raw ?? {}) as Record<string, unknown>;
  const exploration = config['itemExplorationConfig'] as Record<string, string> | undefined;
  for (const [key, value] of Object.entries(exploration ?? {})) {
    if (!EXPLORATION_KEYS.has(key)) throw invalidInput(`itemExplorationConfig has an unknown key ${key}; valid keys: explorationWeight, explorationItemAgeCutOff.`);
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw invalidInput(`itemExplorationConfig.${key} must be a number; got ${value}.`);
    if (key === 'explorationWeight' && (n < 0 || n > 1)) throw invalidInput(`itemExplorationConfig.explorationWeight must be between 0 and 1; got ${value}.`);
    if (key === 'explorationItemAgeCutOff' && n < 1) throw invalidInput(`itemExplorationConfig.explorationItemAgeCutOff must be at least 1 day; got ${value}.`);
  }
  return { ...config, minRecommendationRequestsPerSecond: config['minRecommendationRequestsPerSecond'] ?? 1 };
}
