import { BATCH_INFERENCE_JOB, JOB_MEMBERS } from './batch-shapes.ts';
import { batchHooks, createJob, describeJob, listJobs, type BatchKindSpec } from './batch-jobs.ts';
import type { KindModule } from './operation.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';

/** Recipes without batch inference (facts section 4), and segmentation, which has segment jobs. */
const NO_BATCH_INFERENCE = new Set(['aws-trending-now', 'aws-next-best-action']);

const SPEC: BatchKindSpec = {
  kind: BATCH_INFERENCE_JOB,
  arnMember: 'batchInferenceJobArn',
  arnSegment: 'batch-inference-job',
  filterTarget: 'ItemID',
  maxResults: 500,
  refuse(recipeType, recipeName) {
    if (recipeType === 'USER_SEGMENTATION') return `Solution versions trained with ${recipeName} (USER_SEGMENTATION) make batch segment jobs, not batch inference jobs.`;
    if (NO_BATCH_INFERENCE.has(recipeName)) return `Batch inference is not available for recipe ${recipeName}.`;
    return undefined;
  },
};

export const batchInferenceJobsModule: KindModule = {
  kind: BATCH_INFERENCE_JOB,
  hooks: (state) => batchHooks(state, BATCH_INFERENCE_JOB),
  operations: {
    CreateBatchInferenceJob: {
      input: structure({
        jobName: required(NAME),
        ...JOB_MEMBERS,
        batchInferenceJobConfig: structure({
          itemExplorationConfig: { type: 'map', max: 100, key: { type: 'string', max: 256 }, value: { type: 'string', max: 1000 } },
          rankingInfluence: { type: 'map', max: 10, key: { type: 'string' }, value: { type: 'double', min: 0, max: 1 } },
        }),
        tags: TAGS,
        batchInferenceJobMode: { type: 'string', enum: ['BATCH_INFERENCE', 'THEME_GENERATION'] },
        themeGenerationConfig: structure({ fieldsForThemeGeneration: required(structure({ itemName: required({ type: 'string', max: 150 }) })) }),
      }),
      run: (state, input) => createJob(state, SPEC, input),
    },
    DescribeBatchInferenceJob: {
      input: structure({ batchInferenceJobArn: required(ARN) }),
      run: (state, input) => ({ batchInferenceJob: describeJob(state, SPEC, input) }),
    },
    ListBatchInferenceJobs: {
      input: structure({ solutionVersionArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listJobs(state, SPEC, input, 'ListBatchInferenceJobs', 'batchInferenceJobs'),
    },
  },
};
