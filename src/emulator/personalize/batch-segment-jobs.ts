import { BATCH_SEGMENT_JOB, JOB_MEMBERS } from './batch-shapes.ts';
import { batchHooks, createJob, describeJob, listJobs, type BatchKindSpec } from './batch-jobs.ts';
import type { KindModule } from './operation.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';

/** The API reference caps a segment at 5 million users. */
const MAX_SEGMENT_USERS = 5_000_000;

const SPEC: BatchKindSpec = {
  kind: BATCH_SEGMENT_JOB,
  arnMember: 'batchSegmentJobArn',
  arnSegment: 'batch-segment-job',
  filterTarget: 'UserID',
  maxResults: MAX_SEGMENT_USERS,
  refuse(recipeType, recipeName) {
    return recipeType === 'USER_SEGMENTATION' ? undefined : `Batch segment jobs need a solution version trained with a USER_SEGMENTATION recipe; this one uses ${recipeName} (${recipeType}).`;
  },
};

export const batchSegmentJobsModule: KindModule = {
  kind: BATCH_SEGMENT_JOB,
  hooks: (state) => batchHooks(state, BATCH_SEGMENT_JOB),
  operations: {
    CreateBatchSegmentJob: {
      input: structure({ jobName: required(NAME), ...JOB_MEMBERS, tags: TAGS }),
      run: (state, input) => createJob(state, SPEC, input),
    },
    DescribeBatchSegmentJob: {
      input: structure({ batchSegmentJobArn: required(ARN) }),
      run: (state, input) => ({ batchSegmentJob: describeJob(state, SPEC, input) }),
    },
    ListBatchSegmentJobs: {
      input: structure({ solutionVersionArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listJobs(state, SPEC, input, 'ListBatchSegmentJobs', 'batchSegmentJobs'),
    },
  },
};
