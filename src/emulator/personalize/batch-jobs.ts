import { invalidInput, notFound } from './errors.ts';
import { filterExpressionOf } from './batch-filter.ts';
import { BatchRunner } from './batch-runner.ts';
import { BATCH_INFERENCE_JOB, getJob, jobDescription, jobSummary, type BatchJobAttrs, type BatchKind, type S3DataConfig } from './batch-shapes.ts';
import type { KindHooks } from './lifecycle.ts';
import { beginJob, newRecord, requireActive, type Input, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { RECIPES } from './recipes.ts';
import { getSolutionVersion, type JsonObject } from './solution-types.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

/** What differs between batch inference and batch segment jobs. */
export interface BatchKindSpec {
  readonly kind: BatchKind;
  /** The ARN member and ARN path segment: `batchInferenceJobArn`, `batch-inference-job`. */
  readonly arnMember: string;
  readonly arnSegment: string;
  /** Whether the version's recipe type can serve this kind of job; a message when it cannot. */
  refuse(recipeType: string, recipeName: string): string | undefined;
  /** What a filter for this kind must target. */
  readonly filterTarget: 'ItemID' | 'UserID';
  readonly maxResults: number;
}

function s3Config(raw: unknown): S3DataConfig {
  const { path, kmsKeyArn } = raw as { path: string; kmsKeyArn?: string };
  return { path, ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }) };
}

/** CreateBatchInferenceJob / CreateBatchSegmentJob: every check in the service's order, then the job starts. */
export function createJob(state: ServiceState, spec: BatchKindSpec, input: Input): Record<string, string> {
  const version = getSolutionVersion(state, input.string('solutionVersionArn'));
  const recipe = RECIPES.find((r) => r.name === version.attrs.recipeName);
  const refused = spec.refuse(recipe?.recipeType ?? 'unknown', version.attrs.recipeName);
  if (refused !== undefined) throw invalidInput(refused);
  const filterArn = input.optString('filterArn');
  if (filterArn !== undefined) {
    const expression = filterExpressionOf(state.store, filterArn);
    if (typeof expression === 'string') throw notFound('filter', filterArn);
    if (expression.target !== spec.filterTarget) throw invalidInput(`Filter ${filterArn} filters ${expression.target}; this job needs a filter on ${spec.filterTarget}.`);
  }
  const numResults = input.optInteger('numResults');
  if (numResults !== undefined && (numResults < 1 || numResults > spec.maxResults)) throw invalidInput(`numResults must be between 1 and ${spec.maxResults}.`);
  const mode = input.optString('batchInferenceJobMode');
  if (mode === 'THEME_GENERATION') throw invalidInput('The emulator does not generate themes; use batchInferenceJobMode BATCH_INFERENCE.');
  const config = input.raw['batchInferenceJobConfig'] as JsonObject | undefined;
  const attrs: BatchJobAttrs = {
    solutionVersionArn: version.arn,
    ...(filterArn === undefined ? {} : { filterArn }),
    ...(numResults === undefined ? {} : { numResults }),
    input: s3Config(input.object('jobInput')['s3DataSource']),
    output: s3Config(input.object('jobOutput')['s3DataDestination']),
    roleArn: input.string('roleArn'),
    ...(config === undefined ? {} : { config }),
    ...(spec.kind === BATCH_INFERENCE_JOB ? { mode: mode ?? 'BATCH_INFERENCE' } : {}),
  };
  const name = input.string('jobName');
  const record = newRecord(state, spec.kind, state.arn(`${spec.arnSegment}/${name}`), name, attrs, mergeTags([], input.tags()));
  requireActive(version, 'solution version');
  // Reading input and scoring is import-like work: the import duration stands for it.
  beginJob(state, record, ['PENDING', 'IN PROGRESS']);
  state.store.save();
  return { [spec.arnMember]: record.arn };
}

export function describeJob(state: ServiceState, spec: BatchKindSpec, input: Input): Record<string, unknown> {
  const record = getJob(state, spec.kind, input.string(spec.arnMember));
  const description = jobDescription(record, spec.arnMember);
  if (spec.kind !== BATCH_INFERENCE_JOB) return description;
  const { config, mode } = record.attrs;
  return { ...description, ...(config === undefined ? {} : { batchInferenceJobConfig: config }), ...(mode === undefined ? {} : { batchInferenceJobMode: mode }) };
}

/** ListBatchInferenceJobs / ListBatchSegmentJobs, answering under `key`. */
export function listJobs(state: ServiceState, spec: BatchKindSpec, input: Input, operation: string, key: string): Record<string, unknown> {
  return listRecords<BatchJobAttrs>(state, input, { operation, kind: spec.kind, parent: 'solutionVersionArn', key }, (r) => {
    const summary = jobSummary(r, spec.arnMember);
    return spec.kind === BATCH_INFERENCE_JOB && r.attrs.mode !== undefined ? { ...summary, batchInferenceJobMode: r.attrs.mode } : summary;
  });
}

export function batchHooks(state: ServiceState, kind: BatchKind): KindHooks {
  const runner = new BatchRunner(state.store, state.ctx.objects);
  return { work: (record, signal) => runner.run(kind, record as ResourceRecord<BatchJobAttrs>, signal) };
}
