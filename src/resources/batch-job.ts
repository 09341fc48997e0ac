import { ENVIRONMENT_ADDRESS } from './addresses.ts';
import { nameOfArn } from './arn.ts';
import type { BatchApi, JobView } from './batch-api.ts';
import { dependencyOf } from './dependency.ts';
import { orUndefined } from './errors.ts';
import { startJobOnce } from './job-names.ts';
import type { DesiredNode, KindContext, KindName, ObservedResource, ResourceKind } from './kind.ts';
import { listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { solutionArnOfVersion } from './solution.ts';
import { TAG_DATA_FINGERPRINT } from './solution-version.ts';
import { toServiceTags } from './tags.ts';

/** What the job reads: `sha256:<hex>` of a local input file, or the `s3://` URI poc.yaml names. */
export const TAG_BATCH_INPUT = 'poc:batch-input';
/** The hash of everything the job computes from (input, trained data, settings): its identity. */
export const TAG_BATCH_CONTENT = 'poc:batch-content';

/** `<base>-<sha8>`, then `-NN` when that name was taken: the names one job key ever has. */
const JOB_SUFFIX = /^-[0-9a-f]{8}(-\d{2})?$/;

/** The job key's base name: the node's name minus its `-<sha8>` content suffix (manifest/naming.ts). */
function baseOf(node: DesiredNode): string {
  return node.name.slice(0, -9);
}

function toObserved(kind: KindName, address: string, job: JobView, tags: Record<string, string>): ObservedResource {
  return {
    address,
    kind,
    name: job.name,
    id: job.arn,
    status: job.status,
    readiness: personalizeReadiness(job.status),
    ...(job.failureReason === undefined ? {} : { failureReason: job.failureReason }),
    properties: {
      solution: nameOfArn(solutionArnOfVersion(job.solutionVersionArn)),
      trainedOn: tags[TAG_DATA_FINGERPRINT] ?? null,
      input: tags[TAG_BATCH_INPUT] ?? job.inputPath ?? null,
      numResults: job.numResults ?? null,
      filter: job.filterArn === undefined ? null : nameOfArn(job.filterArn),
    },
    tags,
  };
}

function newest(jobs: readonly JobView[], base: string): JobView | undefined {
  let best: JobView | undefined;
  for (const job of jobs) {
    if (!job.name.startsWith(base) || !JOB_SUFFIX.test(job.name.slice(base.length))) continue;
    // Equal timestamps (the emulator at zero duration): the later name wins (`-02` after the plain one).
    if (best === undefined || job.createdAt > best.createdAt || (job.createdAt === best.createdAt && job.name > best.name)) best = job;
  }
  return best;
}

/**
 * A batch inference or segment job of poc.yaml, at `datasetGroup.<g>.batchInferenceJob.<key>`
 * (or `batchSegmentJob`). The live resource is the newest job of that key (named
 * `<poc>-<g>-<key>-<sha8>`, `-NN` when the name was taken); properties `{solution, trainedOn,
 * input, numResults, filter}`, `trainedOn` and `input` read from its tags. Every field is
 * create-only: a changed input file, a retrained solution or new settings run a new job and the
 * old ones stay as history (the service has no delete for jobs). Observe: the shared
 * List<Kind>Jobs, then one Describe and one ListTagsForResource for the newest job.
 */
export function batchJobKind(kind: 'batchInferenceJob' | 'batchSegmentJob', api: BatchApi): ResourceKind {
  async function observeNewest(ctx: KindContext, node: DesiredNode, fresh: boolean): Promise<ObservedResource | undefined> {
    const summary = newest(await api.list(ctx, fresh), baseOf(node));
    if (summary === undefined) return undefined;
    const [job, tags] = await Promise.all([api.describe(ctx, summary.arn), orUndefined(listTags(ctx, summary.arn))]);
    return job === undefined ? undefined : toObserved(kind, node.address, job, tags ?? {});
  }

  async function refresh(ctx: KindContext, observed: ObservedResource): Promise<ObservedResource | undefined> {
    const job = await api.describe(ctx, observed.id);
    return job === undefined ? undefined : toObserved(kind, observed.address, job, observed.tags);
  }

  return {
    kind,
    fields: {
      solution: { update: 'create-only' },
      trainedOn: { update: 'create-only', content: 'data' },
      input: { update: 'create-only', content: 'data' },
      numResults: { update: 'create-only' },
      filter: { update: 'create-only' },
    },
    deleteOrder: 15,
    quota: 'batch',
    supportsTags: true,
    deletion: 'none',
    parents: ['solutionVersion'],
    observeAfter: [],

    observe: (ctx, node) => observeNewest(ctx, node, false),

    // Jobs are history that stays with the account: nothing to prune.
    async listOwned() {
      return [];
    },

    async create(ctx, node) {
      const version = dependencyOf(ctx, node, 'solutionVersion');
      const content = node.inputs?.['contentHash'];
      const env = ctx.resolve(ENVIRONMENT_ADDRESS);
      const bucket = env?.properties['bucket'];
      const roleArn = env?.properties['roleArn'];
      const inputPath = node.inputs?.['inputUri'] ?? dependencyOf(ctx, node, 'dataUpload')?.id;
      if (version === undefined || content === undefined || typeof bucket !== 'string' || typeof roleArn !== 'string' || inputPath === undefined) {
        throw new Error(`batch job ${node.name} needs its solution version, the environment's bucket and role, its input and a content hash`);
      }
      const filterName = node.properties['filter'];
      const filterArn = typeof filterName === 'string' ? dependencyOf(ctx, node, 'filter')?.id : undefined;
      if (typeof filterName === 'string' && filterArn === undefined) throw new Error(`batch job ${node.name} needs filter ${filterName} to exist first`);
      const trainedOn = node.properties['trainedOn'] ?? version.properties['dataFingerprint'];
      const input = node.properties['input'];
      const tags = {
        ...ctx.ownerTags,
        [TAG_BATCH_CONTENT]: content,
        ...(typeof input === 'string' ? { [TAG_BATCH_INPUT]: input } : {}),
        ...(typeof trainedOn === 'string' ? { [TAG_DATA_FINGERPRINT]: trainedOn } : {}),
      };
      const numResults = node.properties['numResults'];
      return startJobOnce(node.name, {
        newest: () => observeNewest(ctx, node, true),
        sameIntent: (job) => job.tags[TAG_BATCH_CONTENT] === content,
        takenNames: async () => (await api.list(ctx)).map((j) => j.name),
        async start(jobName) {
          const arn = await api.create(ctx, {
            jobName,
            solutionVersionArn: version.id,
            inputPath,
            outputPath: `s3://${bucket}/${ctx.pocName}/batch/${jobName}/`,
            roleArn,
            ...(typeof numResults === 'number' ? { numResults } : {}),
            ...(filterArn === undefined ? {} : { filterArn }),
            tags: toServiceTags(tags),
          });
          const job = await api.describe(ctx, arn);
          if (job === undefined) throw new Error(`batch job ${jobName} was created but cannot be found`);
          return toObserved(kind, node.address, job, tags);
        },
      });
    },

    // Only ownership tags can change on a job (every field is create-only).
    async update(ctx, _node, observed, fields) {
      if (fields.includes('tags')) await restoreOwnerTags(ctx, observed.id);
      return { ...observed, tags: { ...observed.tags, ...ctx.ownerTags } };
    },

    async delete() {
      // No DeleteBatchInferenceJob exists; `deletion: 'none'` keeps the engine from planning one.
    },

    refresh,
  };
}
