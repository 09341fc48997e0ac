import {
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeSchemaCommand,
  DescribeCampaignCommand,
  DescribeFilterCommand,
  DescribeRecommenderCommand,
  DescribeSolutionCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListCampaignsCommand,
  ListMetricAttributionsCommand,
  type Campaign,
  type DatasetImportJobSummary,
  type EventTrackerSummary,
  type Filter,
  type Recommender,
} from '@aws-sdk/client-personalize';
import type { Clients } from '../aws/clients.ts';
import { closest, error, type Diagnostic } from '../diagnostics/index.ts';
import { DATASET_KEYS, DATASET_TYPE_OF } from '../manifest/types.ts';
import { newestImportJob } from '../resources/dataset-import.ts';
import { errorName } from '../resources/errors.ts';
import type { KindContext } from '../resources/kind.ts';
import { listDatasetGroups, listDatasetImportJobs, listDatasets, paginate } from '../resources/personalize-lists.ts';
import { listRecommenders } from '../resources/recommender.ts';
import { listEventTrackers, listFilters } from '../resources/serving-lists.ts';
import { listSolutions, listSolutionVersions } from '../resources/solution-lists.ts';
import type { DatasetSnapshot, GroupSnapshot, OtherResources, SolutionSnapshot } from './types.ts';

/** The shared, memoised List helpers need a kind context; reading owns nothing, so no tags. */
function readContext(clients: Clients, region: string): KindContext {
  return { clients, pocName: '', region, ownerTags: {}, cache: new Map(), resolve: () => undefined };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the service answered without ${what}`);
  return value;
}

/**
 * Reads one dataset group and what it holds, through the SDK, changing nothing. Errors as values:
 * an unknown group names the groups that exist. Service errors other than not-found propagate.
 */
export async function readGroup(clients: Clients, region: string, name: string): Promise<{ snapshot?: GroupSnapshot; diagnostics: Diagnostic[] }> {
  const ctx = readContext(clients, region);
  const groups = await listDatasetGroups(ctx);
  const summary = groups.find((g) => g.name === name);
  if (summary?.datasetGroupArn === undefined) return { diagnostics: [unknownGroup(name, groups.flatMap((g) => (g.name === undefined ? [] : [g.name])))] };
  const groupArn = summary.datasetGroupArn;
  const described = await clients.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: groupArn }));
  const group = required(described.datasetGroup, 'the dataset group');
  const [datasets, solutions, serving, others] = await Promise.all([readDatasets(ctx, groupArn), readSolutions(ctx, groupArn), readServing(ctx, groupArn), readOthers(ctx, groupArn)]);
  return { snapshot: { group, datasets, solutions, ...serving, others }, diagnostics: [] };
}

function unknownGroup(name: string, existing: readonly string[]): Diagnostic {
  const guess = closest(name, existing);
  const list = existing.length === 0 ? 'there is no dataset group in this account and region' : `existing dataset groups: ${[...existing].sort().join(', ')}`;
  return error('unknown-dataset-group', `no dataset group is named "${name}"${guess === undefined ? '' : `; did you mean "${guess}"?`}`, { hint: list });
}

async function readDatasets(ctx: KindContext, groupArn: string): Promise<DatasetSnapshot[]> {
  const summaries = await listDatasets(ctx, groupArn);
  const out: DatasetSnapshot[] = [];
  for (const key of DATASET_KEYS) {
    const summary = summaries.find((d) => d.datasetType?.toUpperCase() === DATASET_TYPE_OF[key]);
    if (summary?.datasetArn === undefined) continue;
    const datasetArn = summary.datasetArn;
    const [described, jobs] = await Promise.all([
      ctx.clients.personalize.send(new DescribeDatasetCommand({ datasetArn })),
      listDatasetImportJobs(ctx, datasetArn),
    ]);
    const dataset = required(described.dataset, `dataset ${datasetArn}`);
    const schemaOut = await ctx.clients.personalize.send(new DescribeSchemaCommand({ schemaArn: required(dataset.schemaArn, `the schema of ${datasetArn}`) }));
    const active = newestImportJob(jobs.filter((j) => j.status === 'ACTIVE'));
    const newest = newestImportJob(jobs);
    const source = active?.datasetImportJobArn === undefined ? undefined : (await ctx.clients.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: active.datasetImportJobArn }))).datasetImportJob;
    out.push({
      key,
      dataset,
      schema: required(schemaOut.schema, `the schema of ${datasetArn}`),
      ...(source === undefined ? {} : { source }),
      ...newerJob(newest, active),
    });
  }
  return out;
}

function newerJob(newest: DatasetImportJobSummary | undefined, active: DatasetImportJobSummary | undefined): Pick<DatasetSnapshot, 'newerJob'> {
  if (newest === undefined || newest.datasetImportJobArn === active?.datasetImportJobArn) return {};
  return { newerJob: { name: newest.jobName ?? newest.datasetImportJobArn ?? '', status: newest.status ?? 'UNKNOWN' } };
}

async function readSolutions(ctx: KindContext, groupArn: string): Promise<SolutionSnapshot[]> {
  const summaries = (await listSolutions(ctx, groupArn)).filter((s) => s.solutionArn !== undefined);
  summaries.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return Promise.all(
    summaries.map(async (s) => {
      const solutionArn = s.solutionArn ?? '';
      const [described, versions] = await Promise.all([ctx.clients.personalize.send(new DescribeSolutionCommand({ solutionArn })), listSolutionVersions(ctx, solutionArn)]);
      return { solution: required(described.solution, `solution ${solutionArn}`), versions };
    }),
  );
}

const token = (t: string | undefined): { nextToken?: string } => (t === undefined ? {} : { nextToken: t });

/** Campaigns, filters, the event tracker and recommenders, described. An endpoint without the operations has none. */
async function readServing(ctx: KindContext, groupArn: string): Promise<{ campaigns: Campaign[]; filters: Filter[]; eventTrackers: EventTrackerSummary[]; recommenders: Recommender[] }> {
  const p = ctx.clients.personalize;
  const solutionArns = (await listSolutions(ctx, groupArn)).flatMap((s) => (s.solutionArn === undefined ? [] : [s.solutionArn]));
  const arns = <T>(items: readonly T[], arn: (item: T) => string | undefined): string[] => items.flatMap((i) => arn(i) ?? []);
  const [campaignArns, filterArns, eventTrackers, recommenderArns] = await Promise.all([
    unlessUnknown(
      Promise.all(
        solutionArns.map((solutionArn) =>
          paginate(async (t) => {
            const out = await p.send(new ListCampaignsCommand({ solutionArn, ...token(t) }));
            return { items: out.campaigns, nextToken: out.nextToken };
          }),
        ),
      ).then((lists) => arns(lists.flat(), (c) => c.campaignArn)),
    ),
    unlessUnknown(listFilters(ctx, groupArn).then((list) => arns(list, (f) => f.filterArn))),
    unlessUnknown(listEventTrackers(ctx, groupArn)),
    unlessUnknown(listRecommenders(ctx, groupArn).then((list) => arns(list, (r) => r.recommenderArn))),
  ]);
  const [campaigns, filters, recommenders] = await Promise.all([
    Promise.all(campaignArns.map(async (campaignArn) => required((await p.send(new DescribeCampaignCommand({ campaignArn }))).campaign, `campaign ${campaignArn}`))),
    Promise.all(filterArns.map(async (filterArn) => required((await p.send(new DescribeFilterCommand({ filterArn }))).filter, `filter ${filterArn}`))),
    Promise.all(recommenderArns.map(async (recommenderArn) => required((await p.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender, `recommender ${recommenderArn}`))),
  ]);
  const byName = <T extends { name?: string | undefined }>(a: T, b: T): number => (a.name ?? '').localeCompare(b.name ?? '');
  return { campaigns: campaigns.sort(byName), filters: filters.sort(byName), eventTrackers: [...eventTrackers].sort(byName), recommenders: recommenders.sort(byName) };
}

/**
 * Names of the group's resources of kinds poc.yaml gets no section for from `poc import`. An
 * endpoint that does not know a List operation has none of that kind.
 */
async function readOthers(ctx: KindContext, groupArn: string): Promise<OtherResources> {
  const p = ctx.clients.personalize;
  const solutionArns = (await listSolutions(ctx, groupArn)).flatMap((s) => (s.solutionArn === undefined ? [] : [s.solutionArn]));
  const versionArns = (await Promise.all(solutionArns.map((arn) => listSolutionVersions(ctx, arn)))).flat().flatMap((v) => (v.solutionVersionArn === undefined ? [] : [v.solutionVersionArn]));
  const names = <T extends { name?: string | undefined; jobName?: string | undefined }>(items: readonly T[]): string[] => items.map((i) => i.name ?? i.jobName ?? '?');
  const perParent = async <T extends { name?: string | undefined; jobName?: string | undefined }>(parents: readonly string[], page: (parent: string, nextToken: string | undefined) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>): Promise<string[]> =>
    (await Promise.all(parents.map((parent) => paginate((token) => page(parent, token))))).flatMap(names);
  const lists: Record<string, () => Promise<string[]>> = {
    'metric attribution': () => perParent([groupArn], async (datasetGroupArn, t) => {
      const out = await p.send(new ListMetricAttributionsCommand({ datasetGroupArn, ...token(t) }));
      return { items: out.metricAttributions, nextToken: out.nextToken };
    }),
    'batch inference job': () => perParent(versionArns, async (solutionVersionArn, t) => {
      const out = await p.send(new ListBatchInferenceJobsCommand({ solutionVersionArn, ...token(t) }));
      return { items: out.batchInferenceJobs, nextToken: out.nextToken };
    }),
    'batch segment job': () => perParent(versionArns, async (solutionVersionArn, t) => {
      const out = await p.send(new ListBatchSegmentJobsCommand({ solutionVersionArn, ...token(t) }));
      return { items: out.batchSegmentJobs, nextToken: out.nextToken };
    }),
  };
  const found = await Promise.all(Object.entries(lists).map(async ([kind, list]) => [kind, await unlessUnknown(list())] as const));
  return Object.fromEntries(found.filter(([, list]) => list.length > 0));
}

async function unlessUnknown<T>(call: Promise<T[]>): Promise<T[]> {
  try {
    return await call;
  } catch (err) {
    if (errorName(err) === 'UnknownOperationException') return [];
    throw err;
  }
}
