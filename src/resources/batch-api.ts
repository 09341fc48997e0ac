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
import { forget } from './cache.ts';
import { signalOf } from './call-options.ts';
import { orUndefined } from './errors.ts';
import type { KindContext } from './kind.ts';
import { memoisedList, type PageRequest } from './personalize-lists.ts';

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

/** A create request in the shape both CreateBatch*JobCommands take. */
function createRequest(input: CreateJobInput) {
  return {
    jobName: input.jobName,
    solutionVersionArn: input.solutionVersionArn,
    jobInput: { s3DataSource: { path: input.inputPath } },
    jobOutput: { s3DataDestination: { path: input.outputPath } },
    roleArn: input.roleArn,
    ...(input.numResults === undefined ? {} : { numResults: input.numResults }),
    ...(input.filterArn === undefined ? {} : { filterArn: input.filterArn }),
    tags: input.tags,
  };
}

/** The one call of each operation that differs between the two job kinds, already normalised. */
interface JobCalls {
  /** The memo key of the kind's List. */
  readonly listKey: string;
  listPage(ctx: KindContext, page: PageRequest): Promise<{ items: JobView[] | undefined; nextToken: string | undefined }>;
  describe(ctx: KindContext, arn: string): Promise<JobView | undefined>;
  create(ctx: KindContext, request: ReturnType<typeof createRequest>): Promise<string | undefined>;
}

function batchApi(calls: JobCalls): BatchApi {
  return {
    list(ctx, fresh = false) {
      if (fresh) forget(ctx, calls.listKey);
      return memoisedList(ctx, calls.listKey, (page) => calls.listPage(ctx, page));
    },
    describe: calls.describe,
    async create(ctx, input) {
      const arn = await calls.create(ctx, createRequest(input));
      forget(ctx, calls.listKey);
      return arn ?? '';
    },
  };
}

export const inferenceApi: BatchApi = batchApi({
  listKey: 'personalize:ListBatchInferenceJobs',
  async listPage(ctx, page) {
    const out = await ctx.clients.personalize.send(new ListBatchInferenceJobsCommand(page), signalOf(ctx));
    return { items: out.batchInferenceJobs?.map((j) => view(j, j.batchInferenceJobArn, false)), nextToken: out.nextToken };
  },
  async describe(ctx, arn) {
    const job = (await orUndefined(ctx.clients.personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: arn }), signalOf(ctx))))?.batchInferenceJob;
    return job === undefined ? undefined : view(job, job.batchInferenceJobArn, true);
  },
  async create(ctx, request) {
    return (await ctx.clients.personalize.send(new CreateBatchInferenceJobCommand(request), signalOf(ctx))).batchInferenceJobArn;
  },
});

export const segmentApi: BatchApi = batchApi({
  listKey: 'personalize:ListBatchSegmentJobs',
  async listPage(ctx, page) {
    const out = await ctx.clients.personalize.send(new ListBatchSegmentJobsCommand(page), signalOf(ctx));
    return { items: out.batchSegmentJobs?.map((j) => view(j, j.batchSegmentJobArn, false)), nextToken: out.nextToken };
  },
  async describe(ctx, arn) {
    const job = (await orUndefined(ctx.clients.personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: arn }), signalOf(ctx))))?.batchSegmentJob;
    return job === undefined ? undefined : view(job, job.batchSegmentJobArn, true);
  },
  async create(ctx, request) {
    return (await ctx.clients.personalize.send(new CreateBatchSegmentJobCommand(request), signalOf(ctx))).batchSegmentJobArn;
  },
});
