import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListMetricAttributionsCommand,
  ListRecommendersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Clients } from '../../src/aws/clients.ts';

type Page = { nextToken?: string | undefined };
type Summary = Record<string, unknown>;

/** Every Personalize List call, unfiltered (no parent ARN: the whole account), and where its items are. */
const LISTS: readonly { readonly kind: string; readonly key: string; readonly send: (c: Clients, nextToken: string | undefined) => Promise<Page> }[] = [
  { kind: 'datasetGroup', key: 'datasetGroups', send: (c, t) => c.personalize.send(new ListDatasetGroupsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'schema', key: 'schemas', send: (c, t) => c.personalize.send(new ListSchemasCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'dataset', key: 'datasets', send: (c, t) => c.personalize.send(new ListDatasetsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'datasetImport', key: 'datasetImportJobs', send: (c, t) => c.personalize.send(new ListDatasetImportJobsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'solution', key: 'solutions', send: (c, t) => c.personalize.send(new ListSolutionsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'solutionVersion', key: 'solutionVersions', send: (c, t) => c.personalize.send(new ListSolutionVersionsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'campaign', key: 'campaigns', send: (c, t) => c.personalize.send(new ListCampaignsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'filter', key: 'Filters', send: (c, t) => c.personalize.send(new ListFiltersCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'eventTracker', key: 'eventTrackers', send: (c, t) => c.personalize.send(new ListEventTrackersCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'recommender', key: 'recommenders', send: (c, t) => c.personalize.send(new ListRecommendersCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'metricAttribution', key: 'metricAttributions', send: (c, t) => c.personalize.send(new ListMetricAttributionsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'batchInferenceJob', key: 'batchInferenceJobs', send: (c, t) => c.personalize.send(new ListBatchInferenceJobsCommand({ maxResults: 100, nextToken: t })) },
  { kind: 'batchSegmentJob', key: 'batchSegmentJobs', send: (c, t) => c.personalize.send(new ListBatchSegmentJobsCommand({ maxResults: 100, nextToken: t })) },
];

function mentions(item: Summary, pocName: string, adopted: readonly string[]): string | undefined {
  for (const value of Object.values(item)) {
    if (typeof value !== 'string') continue;
    // Names are `<poc>-...`; ARNs end in `/<poc>-...` (a version's: `solution/<poc>-.../<id>`).
    if (value.startsWith(`${pocName}-`) || value.includes(`/${pocName}-`)) return value;
    // Adopted resources keep their own names: the name itself, or an ARN segment.
    if (adopted.some((name) => value === name || value.endsWith(`/${name}`) || value.includes(`/${name}/`))) return value;
  }
  return undefined;
}

/**
 * What the account still holds of a POC, as `kind name-or-arn` lines: every Personalize List (a
 * kind the emulator does not serve yet answers UnknownOperationException and holds nothing),
 * CloudFormation stacks, S3 buckets, and objects under `<poc>/` in any bucket. `adopted`: the
 * names of resources the POC adopted (`poc import`), which do not start with `<poc>-`.
 */
export async function leftovers(clients: Clients, pocName: string, adopted: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const list of LISTS) {
    let token: string | undefined;
    do {
      let page: Page;
      try {
        page = await list.send(clients, token);
      } catch (err) {
        if ((err as { name?: string }).name === 'UnknownOperationException') break;
        throw err;
      }
      // Each output names its list differently (`Filters`, `datasetGroups`...): read it by key.
      for (const item of ((page as Record<string, unknown>)[list.key] as Summary[] | undefined) ?? []) {
        const hit = mentions(item, pocName, adopted);
        if (hit !== undefined) out.push(`${list.kind} ${hit}`);
      }
      token = page.nextToken;
    } while (token !== undefined);
  }
  for (const s of (await clients.cloudformation.send(new DescribeStacksCommand({}))).Stacks ?? []) {
    const tagged = s.Tags?.some((t) => t.Key === 'poc:name' && t.Value === pocName) === true;
    if (s.StackStatus !== 'DELETE_COMPLETE' && (tagged || s.StackName?.startsWith(`${pocName}-`) === true)) out.push(`stack ${s.StackName ?? ''} ${s.StackStatus ?? ''}`);
  }
  for (const b of (await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    if (b.Name === undefined) continue;
    if (b.Name.startsWith(`${pocName}-`)) out.push(`bucket ${b.Name}`);
    const objects = (await clients.s3.send(new ListObjectsV2Command({ Bucket: b.Name, Prefix: `${pocName}/` }))).Contents ?? [];
    for (const o of objects) out.push(`object s3://${b.Name}/${o.Key ?? ''}`);
  }
  return out.sort();
}
