import { ARN, structure, type Shape } from './shapes.ts';

/** Input shapes of the solution operations, after the service's Smithy model. */

const text = (max: number): Shape => ({ type: 'string', max });
const PARAMETERS: Shape = { type: 'map', max: 100, key: text(256), value: text(1000) };
const COLUMNS_BY_TYPE: Shape = { type: 'map', max: 3, key: text(256), value: { type: 'list', max: 50, member: text(150) } };

export const EVENT_TYPE: Shape = text(256);

export const AUTO_TRAINING_CONFIG: Shape = structure({
  schedulingExpression: { type: 'string', min: 1, max: 16, pattern: 'rate\\(\\d+ days?\\)' },
});

export const EVENTS_CONFIG: Shape = structure({
  eventParametersList: {
    type: 'list',
    max: 10,
    member: structure({ eventType: EVENT_TYPE, eventValueThreshold: { type: 'double' }, weight: { type: 'double', min: 0, max: 1 } }),
  },
});

const RANGES: Shape = structure({
  integerHyperParameterRanges: { type: 'list', max: 100, member: structure({ name: text(256), minValue: { type: 'integer', min: -1000000 }, maxValue: { type: 'integer', max: 1000000 } }) },
  continuousHyperParameterRanges: { type: 'list', max: 100, member: structure({ name: text(256), minValue: { type: 'double', min: -1000000 }, maxValue: { type: 'double' } }) },
  categoricalHyperParameterRanges: { type: 'list', max: 100, member: structure({ name: text(256), values: { type: 'list', max: 100, member: text(1000) } }) },
});

export const SOLUTION_CONFIG: Shape = structure({
  eventValueThreshold: text(256),
  hpoConfig: structure({
    hpoObjective: structure({ type: text(256), metricName: text(256), metricRegex: text(256) }),
    hpoResourceConfig: structure({ maxNumberOfTrainingJobs: text(256), maxParallelTrainingJobs: text(256) }),
    algorithmHyperParameterRanges: RANGES,
  }),
  algorithmHyperParameters: PARAMETERS,
  featureTransformationParameters: PARAMETERS,
  autoMLConfig: structure({ metricName: text(256), recipeList: { type: 'list', max: 100, member: ARN } }),
  eventsConfig: EVENTS_CONFIG,
  optimizationObjective: structure({ itemAttribute: { type: 'string', min: 1, max: 150 }, objectiveSensitivity: { type: 'string', enum: ['LOW', 'MEDIUM', 'HIGH', 'OFF'] } }),
  trainingDataConfig: structure({ excludedDatasetColumns: COLUMNS_BY_TYPE, includedDatasetColumns: COLUMNS_BY_TYPE }),
  autoTrainingConfig: AUTO_TRAINING_CONFIG,
});

export const SOLUTION_UPDATE_CONFIG: Shape = structure({ autoTrainingConfig: AUTO_TRAINING_CONFIG, eventsConfig: EVENTS_CONFIG });
