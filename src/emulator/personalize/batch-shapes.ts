import { notFound } from './errors.ts';
import type { ServiceState } from './operation.ts';
import { epochSeconds } from './protocol.ts';
import { ARN, KMS_KEY_ARN, ROLE_ARN, S3_PATH, required, structure, type Shape } from './shapes.ts';
import type { JsonObject } from './solution-types.ts';
import type { ResourceRecord } from './store.ts';

export const BATCH_INFERENCE_JOB = 'batchInferenceJob';
export const BATCH_SEGMENT_JOB = 'batchSegmentJob';
export type BatchKind = typeof BATCH_INFERENCE_JOB | typeof BATCH_SEGMENT_JOB;

/** `jobInput.s3DataSource` / `jobOutput.s3DataDestination`: an S3 path and an optional KMS key. */
export interface S3DataConfig {
  readonly path: string;
  readonly kmsKeyArn?: string;
}

/**
 * A batch inference or segment job, as created (nothing changes after Create). Invariant:
 * `solutionVersionArn` named an ACTIVE version when the job was created; `config` and `mode`
 * exist only on batch inference jobs.
 */
export interface BatchJobAttrs {
  readonly solutionVersionArn: string;
  readonly filterArn?: string;
  readonly numResults?: number;
  readonly input: S3DataConfig;
  readonly output: S3DataConfig;
  readonly roleArn: string;
  readonly config?: JsonObject;
  readonly mode?: string;
}

const S3_DATA_CONFIG: Shape = structure({ path: required(S3_PATH), kmsKeyArn: KMS_KEY_ARN });

/** Members Create shares between the two job kinds (the model's shapes, minus name and tags). */
export const JOB_MEMBERS: Readonly<Record<string, Shape>> = {
  solutionVersionArn: required(ARN),
  filterArn: ARN,
  numResults: { type: 'integer' },
  jobInput: required(structure({ s3DataSource: required(S3_DATA_CONFIG) })),
  jobOutput: required(structure({ s3DataDestination: required(S3_DATA_CONFIG) })),
  roleArn: required(ROLE_ARN),
};

/** The job's members that Describe returns for both kinds, under each kind's input/output names. */
export function jobDescription(record: ResourceRecord<BatchJobAttrs>, arnMember: string): Record<string, unknown> {
  const a = record.attrs;
  return {
    jobName: record.name,
    [arnMember]: record.arn,
    ...(a.filterArn === undefined ? {} : { filterArn: a.filterArn }),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
    solutionVersionArn: a.solutionVersionArn,
    ...(a.numResults === undefined ? {} : { numResults: a.numResults }),
    jobInput: { s3DataSource: a.input },
    jobOutput: { s3DataDestination: a.output },
    roleArn: a.roleArn,
    ...(record.status === undefined ? {} : { status: record.status }),
    creationDateTime: epochSeconds(record.createdAt),
    lastUpdatedDateTime: epochSeconds(record.updatedAt),
  };
}

export function jobSummary(record: ResourceRecord<BatchJobAttrs>, arnMember: string): Record<string, unknown> {
  return {
    [arnMember]: record.arn,
    jobName: record.name,
    ...(record.status === undefined ? {} : { status: record.status }),
    creationDateTime: epochSeconds(record.createdAt),
    lastUpdatedDateTime: epochSeconds(record.updatedAt),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
    solutionVersionArn: record.attrs.solutionVersionArn,
  };
}

export function getJob(state: ServiceState, kind: BatchKind, arn: string): ResourceRecord<BatchJobAttrs> {
  const record = state.store.find<BatchJobAttrs>(kind, arn);
  if (record === undefined) throw notFound(kind === BATCH_INFERENCE_JOB ? 'batch inference job' : 'batch segment job', arn);
  return record;
}

/** `s3://bucket/prefix` split; undefined for http(s) paths, which the emulator cannot read. */
export function splitS3Path(path: string): { readonly bucket: string; readonly prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(path);
  return match === null ? undefined : { bucket: match[1] ?? '', prefix: match[2] ?? '' };
}
