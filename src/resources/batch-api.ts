import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  type BatchInferenceJob,
  type BatchInferenceJobSummary,
  type BatchSegmentJob,
  type BatchSegmentJobSummary,
  type Tag,
} from '@aws-sdk/client-personalize';
import { forget, memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import { orUndefined } from './errors.ts';
import type { KindContext } from './kind.ts';
import { paginate } from './personalize-lists.ts';

/**
 * A batch inference or segment job as both APIs report it, normalised: the two kinds differ in
 * names only. Summaries (from List) lack `numResults`, `filterArn` and the paths (`detailed` false).
 */
export interface JobView {
  readonly arn: string;
  readonly name: string;
  readonly status: string;
  readonly createdAt: number;
  readonly failureReason?: string;
  readonly solutionVersionArn: string;
  readonly detailed: boolean;
  readonly numResults?: number;
  readonly filterArn?: string;
  readonly inputPath?: string;
  readonly outputPath?: string;
}

export interface CreateJobInput {
  readonly jobName: string;
  readonly solutionVersionArn: string;
  readonly inputPath: string;
  readonly outputPath: string;
  readonly roleArn: string;
  readonly numResults?: number;
  readonly filterArn?: string;
  readonly tags: Tag[];
}

/** The calls of one job kind, on the normalised view. */
export interface BatchApi {
  /** Every job of the kind in the account (no parent filter: a job outlives the version it names), memoised per run. */
  list(ctx: KindContext, fresh?: boolean): Promise<JobView[]>;
  describe(ctx: KindContext, arn: string): Promise<JobView | undefined>;
  create(ctx: KindContext, input: CreateJobInput): Promise<string>;
}

type AnyJob = BatchInferenceJob | BatchSegmentJob | BatchInferenceJobSummary | BatchSegmentJobSummary;

function view(job: AnyJob, arn: string | undefined, detailed: boolean): JobView {
  const full = job as BatchInferenceJob;
  return {
    arn: arn ?? '',
    name: job.jobName ?? '',
    status: job.status ?? 'UNKNOWN',
    createdAt: job.creationDateTime?.getTime() ?? 0,
    ...(job.failureReason === undefined ? {} : { failureReason: job.failureReason }),
    solutionVersionArn: job.solutionVersionArn ?? '',
    detailed,
    ...(full.numResults === undefined ? {} : { numResults: full.numResults }),
    ...(full.filterArn === undefined ? {} : { filterArn: full.filterArn }),
    ...(full.jobInput?.s3DataSource?.path === undefined ? {} : { inputPath: full.jobInput.s3DataSource.path }),
    ...(full.jobOutput?.s3DataDestination?.path === undefined ? {} : { outputPath: full.jobOutput.s3DataDestination.path }),
  };
}

const KEY_INFERENCE = 'personalize:ListBatchInferenceJobs';
const KEY_SEGMENT = 'personalize:ListBatchSegmentJobs';

export const inferenceApi: BatchApi = {
  list(ctx, fresh = false) {
    if (fresh) forget(ctx, KEY_INFERENCE);
    return memo(ctx, KEY_INFERENCE, () =>
      paginate(async (nextToken) => {
        const out = await ctx.clients.personalize.send(new ListBatchInferenceJobsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
        return { items: out.batchInferenceJobs?.map((j) => view(j, j.batchInferenceJobArn, false)), nextToken: out.nextToken };
      }),
    );
  },
  async describe(ctx, arn) {
    const out = await orUndefined(ctx.clients.personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: arn }), signalOf(ctx)));
    return out?.batchInferenceJob === undefined ? undefined : view(out.batchInferenceJob, out.batchInferenceJob.batchInferenceJobArn, true);
  },
  async create(ctx, input) {
    const out = await ctx.clients.personalize.send(
      new CreateBatchInferenceJobCommand({
        jobName: input.jobName,
        solutionVersionArn: input.solutionVersionArn,
        jobInput: { s3DataSource: { path: input.inputPath } },
        jobOutput: { s3DataDestination: { path: input.outputPath } },
        roleArn: input.roleArn,
        ...(input.numResults === undefined ? {} : { numResults: input.numResults }),
        ...(input.filterArn === undefined ? {} : { filterArn: input.filterArn }),
        tags: input.tags,
      }),
      signalOf(ctx),
    );
    forget(ctx, KEY_INFERENCE);
    return out.batchInferenceJobArn ?? '';
  },
};

export const segmentApi: BatchApi = {
  list(ctx, fresh = false) {
    if (fresh) forget(ctx, KEY_SEGMENT);
    return memo(ctx, KEY_SEGMENT, () =>
      paginate(async (nextToken) => {
        const out = await ctx.clients.personalize.send(new ListBatchSegmentJobsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
        return { items: out.batchSegmentJobs?.map((j) => view(j, j.batchSegmentJobArn, false)), nextToken: out.nextToken };
      }),
    );
  },
  async describe(ctx, arn) {
    const out = await orUndefined(ctx.clients.personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: arn }), signalOf(ctx)));
    return out?.batchSegmentJob === undefined ? undefined : view(out.batchSegmentJob, out.batchSegmentJob.batchSegmentJobArn, true);
  },
  async create(ctx, input) {
    const out = await ctx.clients.personalize.send(
      new CreateBatchSegmentJobCommand({
        jobName: input.jobName,
        solutionVersionArn: input.solutionVersionArn,
        jobInput: { s3DataSource: { path: input.inputPath } },
        jobOutput: { s3DataDestination: { path: input.outputPath } },
        roleArn: input.roleArn,
        ...(input.numResults === undefined ? {} : { numResults: input.numResults }),
        ...(input.filterArn === undefined ? {} : { filterArn: input.filterArn }),
        tags: input.tags,
      }),
      signalOf(ctx),
    );
    forget(ctx, KEY_SEGMENT);
    return out.batchSegmentJobArn ?? '';
  },
};
