import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, TagResourceCommand, type DatasetImportJob, type DatasetImportJobSummary } from '@aws-sdk/client-personalize';
import { DATASET_KEYS, DATASET_TYPE_OF } from '../manifest/types.ts';
import { datasetArnOf } from './arn.ts';
import { dependencyOf } from './dependency.ts';
import { ENVIRONMENT_ADDRESS } from './addresses.ts';
import { adoptedObjectMatches } from './adopted-object.ts';
import { orUndefined } from './errors.ts';
import { startJobOnce } from './job-names.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';
import { groupArnNamed, invalidate, listDatasetImportJobs, listDatasets, listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { TAG_DATA_SHA256, toServiceTags } from './tags.ts';

function toObserved(address: string, dataset: string | null, job: DatasetImportJobSummary | DatasetImportJob, tags: Record<string, string>): ObservedResource {
  const status = job.status ?? 'UNKNOWN';
  return {
    address,
    kind: 'datasetImport',
    name: job.jobName ?? '',
    id: job.datasetImportJobArn ?? '',
    status,
    readiness: personalizeReadiness(status),
    ...(job.failureReason === undefined ? {} : { failureReason: job.failureReason }),
    properties: { dataset, dataSha256: tags[TAG_DATA_SHA256] ?? null, importMode: job.importMode ?? 'FULL' },
    tags,
  };
}

/** The newest of `jobs` by creation time: the one the import kind observes (and `poc import` adopts among the ACTIVE). */
export function newestImportJob(jobs: readonly DatasetImportJobSummary[]): DatasetImportJobSummary | undefined {
  let best: DatasetImportJobSummary | undefined;
  for (const job of jobs) {
    if (best === undefined) {
      best = job;
      continue;
    }
    const a = job.creationDateTime?.getTime() ?? 0;
    const b = best.creationDateTime?.getTime() ?? 0;
    // Equal timestamps (the emulator at zero duration): the later suffix wins, then the name.
    if (a > b || (a === b && (job.jobName ?? '') > (best.jobName ?? ''))) best = job;
  }
  return best;
}

async function observedNewest(ctx: KindContext, address: string, dataset: string | null, jobs: readonly DatasetImportJobSummary[]): Promise<ObservedResource | undefined> {
  const job = newestImportJob(jobs);
  if (job?.datasetImportJobArn === undefined) return undefined;
  const tags = (await orUndefined(listTags(ctx, job.datasetImportJobArn))) ?? {};
  return toObserved(address, dataset, job, tags);
}

/** For create: the dataset as the executor resolved it, its jobs as they are now when `fresh`. */
async function observeNewest(ctx: KindContext, node: DesiredNode, fresh: boolean): Promise<ObservedResource | undefined> {
  const dataset = dependencyOf(ctx, node, 'dataset');
  if (dataset === undefined) return undefined;
  return observedNewest(ctx, node.address, dataset.name, await listDatasetImportJobs(ctx, dataset.id, fresh));
}

/**
 * The group name and type of the dataset, from which its ARN follows: an import need not wait for
 * its dataset's observation. The compiler passes both as inputs (a dataset named in poc.yaml need
 * not be `<group name>-<key>`); without them the name is taken apart (manifest/naming.ts).
 */
function datasetPlaceOf(node: DesiredNode): { readonly group: string; readonly type: string } | undefined {
  const group = node.inputs?.['datasetGroup'];
  const type = node.inputs?.['datasetType'];
  if (group !== undefined && type !== undefined) return { group, type };
  const datasetName = node.properties['dataset'];
  if (typeof datasetName !== 'string') return undefined;
  const key = DATASET_KEYS.find((k) => datasetName.endsWith(`-${k}`));
  return key === undefined ? undefined : { group: datasetName.slice(0, -key.length - 1), type: DATASET_TYPE_OF[key] };
}

/**
 * For plan: everything from the shared lists. The dataset's ARN follows from its group's, so its
 * jobs are listed alongside the group's datasets (which say whether it exists) in one round trip.
 */
async function observeFromLists(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined> {
  const place = datasetPlaceOf(node);
  const groupArn = place === undefined ? undefined : await groupArnNamed(ctx, place.group);
  if (place === undefined || groupArn === undefined) return undefined;
  const datasetArn = datasetArnOf(groupArn, place.type);
  const [datasets, jobs] = await Promise.all([listDatasets(ctx, groupArn), orUndefined(listDatasetImportJobs(ctx, datasetArn))]);
  const dataset = datasets.find((d) => d.datasetArn === datasetArn);
  if (dataset === undefined) return undefined;
  const observed = await observedNewest(ctx, node.address, dataset.name ?? null, jobs ?? []);
  return observed === undefined ? undefined : withAdoptedData(ctx, node, observed);
}

/**
 * A job made outside this tool carries no `poc:data-sha256` tag. When it is ACTIVE and read the
 * dataset's `importedFrom` object, and that object holds the local file's bytes, it has imported
 * exactly the desired data: it is observed with the desired hash, so nothing is imported again.
 * One DescribeDatasetImportJob (for its source) and one HeadObject, only for such a job.
 */
async function withAdoptedData(ctx: KindContext, node: DesiredNode, observed: ObservedResource): Promise<ObservedResource> {
  const uri = node.inputs?.['adoptedFrom'];
  const file = node.inputs?.['file'];
  const sha = node.properties['dataSha256'];
  if (uri === undefined || file === undefined || typeof sha !== 'string') return observed;
  if (observed.properties['dataSha256'] !== null || observed.status !== 'ACTIVE') return observed;
  const out = await orUndefined(ctx.clients.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: observed.id }), signalOf(ctx)));
  if (out?.datasetImportJob?.dataSource?.dataLocation !== uri) return observed;
  if (!(await adoptedObjectMatches(ctx, uri, file, sha))) return observed;
  return { ...observed, properties: { ...observed.properties, dataSha256: sha } };
}

/**
 * Ownership tags, plus the data hash of an adopted job (observed with it, untagged): from then
 * on the tag says what the job imported, as it does for the jobs this tool starts.
 */
async function tagJob(ctx: KindContext, observed: ObservedResource): Promise<void> {
  const sha = observed.properties['dataSha256'];
  if (typeof sha === 'string' && observed.tags[TAG_DATA_SHA256] !== sha) {
    await ctx.clients.personalize.send(new TagResourceCommand({ resourceArn: observed.id, tags: toServiceTags({ [TAG_DATA_SHA256]: sha }) }), signalOf(ctx));
  }
  // Also forgets the memoised tags, so the next observe reads both.
  await restoreOwnerTags(ctx, observed.id);
}

async function describe(ctx: KindContext, address: string, dataset: string | null, arn: string, tags: Record<string, string>): Promise<ObservedResource | undefined> {
  const out = await orUndefined(ctx.clients.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }), signalOf(ctx)));
  return out?.datasetImportJob === undefined ? undefined : toObserved(address, dataset, out.datasetImportJob, tags);
}

/**
 * The import of a dataset's data, at `datasetGroup.<g>.dataset.<key>.import`. The live resource
 * is the dataset's newest import job; properties `{dataset, dataSha256, importMode}`, the hash
 * read from the job's `poc:data-sha256` tag. Every field is create-only: new data is a new job
 * named `<poc>-<g>-<key>-<sha8>` (then `-02`, `-03`... when that name is taken, e.g. data reverted
 * to an earlier content) and old jobs stay as history. The service has no delete for jobs; they
 * go with their dataset. Observe: the dataset's ListDatasetImportJobs (its ARN derived from the
 * group's in the shared ListDatasetGroups, its existence read from the shared ListDatasets) plus
 * one ListTagsForResource.
 */
export const datasetImportKind: ResourceKind = {
  kind: 'datasetImport',
  fields: {
    dataset: { update: 'create-only' },
    dataSha256: { update: 'create-only', content: 'data' },
    importMode: { update: 'create-only' },
  },
  deleteOrder: 50,
  quota: 'import',
  supportsTags: true,
  deletion: 'none',
  parents: ['dataset'],
  observeAfter: [],

  observe: observeFromLists,

  // Import jobs are history that goes with its dataset: nothing to prune.
  async listOwned() {
    return [];
  },

  async create(ctx, node) {
    const dataset = dependencyOf(ctx, node, 'dataset');
    const dataUpload = dependencyOf(ctx, node, 'dataUpload');
    const roleArn = ctx.resolve(ENVIRONMENT_ADDRESS)?.properties['roleArn'];
    const sha = node.properties['dataSha256'];
    if (dataset === undefined || dataUpload === undefined || typeof sha !== 'string') throw new Error(`import ${node.name} needs its dataset, its uploaded data and a dataSha256`);
    const importMode = node.properties['importMode'] === 'INCREMENTAL' ? 'INCREMENTAL' : 'FULL';
    const tags = { ...ctx.ownerTags, [TAG_DATA_SHA256]: sha };
    return startJobOnce(node.name, {
      newest: () => observeNewest(ctx, node, true),
      sameIntent: (job) => job.properties['dataSha256'] === sha,
      takenNames: async () => (await listDatasetImportJobs(ctx, dataset.id)).map((j) => j.jobName ?? ''),
      async start(jobName) {
        const out = await ctx.clients.personalize.send(
          new CreateDatasetImportJobCommand({
            jobName,
            datasetArn: dataset.id,
            dataSource: { dataLocation: dataUpload.id },
            ...(typeof roleArn === 'string' ? { roleArn } : {}),
            importMode,
            tags: toServiceTags(tags),
          }),
          signalOf(ctx),
        );
        invalidate.imports(ctx, dataset.id);
        const created = out.datasetImportJobArn === undefined ? undefined : await describe(ctx, node.address, dataset.name, out.datasetImportJobArn, tags);
        if (created === undefined) throw new Error(`import job ${jobName} was created but cannot be found`);
        return created;
      },
    });
  },

  // Only ownership tags can change on a job (every field is create-only).
  async update(ctx, _node, observed, fields) {
    if (fields.includes('tags')) {
      await tagJob(ctx, observed);
    }
    const sha = observed.properties['dataSha256'];
    return { ...observed, tags: { ...observed.tags, ...ctx.ownerTags, ...(typeof sha === 'string' ? { [TAG_DATA_SHA256]: sha } : {}) } };
  },

  async delete() {
    // No DeleteDatasetImportJob exists; `deletion: 'none'` keeps the engine from planning one.
  },

  refresh: (ctx, observed) => {
    const dataset = observed.properties['dataset'];
    return describe(ctx, observed.address, typeof dataset === 'string' ? dataset : null, observed.id, observed.tags);
  },
};
