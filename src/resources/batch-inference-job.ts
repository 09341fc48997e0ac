import { inferenceApi } from './batch-api.ts';
import { batchJobKind } from './batch-job.ts';
import type { ResourceKind } from './kind.ts';

/** Batch inference jobs: see {@link batchJobKind}. */
export const batchInferenceJobKind: ResourceKind = batchJobKind('batchInferenceJob', inferenceApi);
