import { batchInferenceJobKind } from './batch-inference-job.ts';
import { batchResultsKind } from './batch-results.ts';
import { batchSegmentJobKind } from './batch-segment-job.ts';
import { campaignKind } from './campaign.ts';
import { dataUploadKind } from './data-upload.ts';
import { datasetGroupKind } from './dataset-group.ts';
import { datasetImportKind } from './dataset-import.ts';
import { datasetKind } from './dataset.ts';
import { environmentKind } from './environment.ts';
import { eventTrackerKind } from './event-tracker.ts';
import { filterKind } from './filter.ts';
import type { KindName, ResourceKind } from './kind.ts';
import { metricAttributionKind } from './metric-attribution.ts';
import { recommenderKind } from './recommender.ts';
import { schemaKind } from './schema.ts';
import { solutionVersionKind } from './solution-version.ts';
import { solutionKind } from './solution.ts';

/** Every resource kind, by name: what the plan, apply and drift engines look kinds up in. */
export const KINDS: Readonly<Record<KindName, ResourceKind>> = {
  environment: environmentKind,
  schema: schemaKind,
  datasetGroup: datasetGroupKind,
  dataset: datasetKind,
  dataUpload: dataUploadKind,
  datasetImport: datasetImportKind,
  solution: solutionKind,
  solutionVersion: solutionVersionKind,
  recommender: recommenderKind,
  campaign: campaignKind,
  filter: filterKind,
  eventTracker: eventTrackerKind,
  batchInferenceJob: batchInferenceJobKind,
  batchSegmentJob: batchSegmentJobKind,
  batchResults: batchResultsKind,
  metricAttribution: metricAttributionKind,
};
