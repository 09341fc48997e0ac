import type { ItemExplorationSpec, RecommenderSpec } from '../manifest/types.ts';
import type { Props } from './kind.ts';
import { compact } from './solution-config.ts';

/**
 * The recommender's fields as both sides of a diff see them, in one pure place: the compiler
 * builds the desired properties from the manifest and the recommender kind builds the observed
 * ones from DescribeRecommender. Exploration values are strings in a map, as the service keeps
 * them; values equal to the service's defaults are dropped on both sides, so a service that
 * reports its defaults and a manifest that leaves them out agree.
 */

/** Fields UpdateRecommender changes (the configuration is sent whole). */
export const RECOMMENDER_CONFIG_FIELDS = ['minRequestsPerSecond', 'itemExploration', 'enableMetadataWithRecommendations', 'trainingDataConfig'] as const;

const EXPLORATION_DEFAULTS: Readonly<Record<string, string>> = { explorationWeight: '0.3', explorationItemAgeCutOff: '30' };

/**
 * poc.yaml's `itemExploration` as the service's itemExplorationConfig: string values under its
 * own key names. Campaigns (campaignConfig) and recommenders (recommenderConfig) take the same map.
 */
export function itemExplorationConfigOf(spec: ItemExplorationSpec | undefined): Record<string, string> {
  return {
    ...(spec?.weight === undefined ? {} : { explorationWeight: String(spec.weight) }),
    ...(spec?.itemAgeCutOffDays === undefined ? {} : { explorationItemAgeCutOff: String(spec.itemAgeCutOffDays) }),
  };
}

/** itemExplorationConfig without the defaults; null when nothing else is left. */
export function explorationOf(config: Readonly<Record<string, string>> | undefined): Props[string] {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    if (Number(value) !== Number(EXPLORATION_DEFAULTS[key])) kept[key] = value;
  }
  return compact(kept);
}

/** The desired recommender properties, minus its group (which the compiler adds by name). */
export function recommenderProperties(spec: RecommenderSpec): Props {
  return {
    recipe: spec.recipeArn,
    minRequestsPerSecond: spec.minRequestsPerSecond,
    itemExploration: explorationOf(itemExplorationConfigOf(spec.itemExploration)),
    enableMetadataWithRecommendations: spec.enableMetadataWithRecommendations,
    trainingDataConfig: compact(spec.trainingDataConfig),
    stopped: spec.stopped,
  };
}
