import { ARN, NAME, TAGS, required, structure, type Shape } from './shapes.ts';

/** Input shapes of the campaign operations, after the service's Smithy model. */

const PARAMETERS: Shape = { type: 'map', max: 100, key: { type: 'string', max: 256 }, value: { type: 'string', max: 1000 } };

export const CAMPAIGN_CONFIG: Shape = structure({
  itemExplorationConfig: PARAMETERS,
  enableMetadataWithRecommendations: { type: 'boolean' },
  syncWithLatestSolutionVersion: { type: 'boolean' },
  rankingInfluence: { type: 'map', max: 2, key: { type: 'string', enum: ['POPULARITY', 'FRESHNESS'] }, value: { type: 'double', min: 0, max: 1 } },
});

export const MIN_PROVISIONED_TPS: Shape = { type: 'integer', min: 1 };

export const CREATE_CAMPAIGN = structure({
  name: required(NAME),
  // A version ARN or `{solutionArn}/$LATEST`: the model's ARN pattern admits both.
  solutionVersionArn: required(ARN),
  minProvisionedTPS: MIN_PROVISIONED_TPS,
  campaignConfig: CAMPAIGN_CONFIG,
  tags: TAGS,
});

export const UPDATE_CAMPAIGN = structure({
  campaignArn: required(ARN),
  solutionVersionArn: ARN,
  minProvisionedTPS: MIN_PROVISIONED_TPS,
  campaignConfig: CAMPAIGN_CONFIG,
});
