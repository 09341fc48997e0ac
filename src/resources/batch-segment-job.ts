import { segmentApi } from './batch-api.ts';
import { batchJobKind } from './batch-job.ts';
import type { ResourceKind } from './kind.ts';

/** Batch segment jobs: see {@link batchJobKind}. */
export const batchSegmentJobKind: ResourceKind = batchJobKind('batchSegmentJob', segmentApi);
