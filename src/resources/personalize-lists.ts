import {
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListSchemasCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  type DatasetGroupSummary,
  type DatasetImportJobSummary,
  type DatasetSchemaSummary,
  type DatasetSummary,
} from '@aws-sdk/client-personalize';
import { forget, memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import { orUndefined } from './errors.ts';
import type { KindContext } from './kind.ts';
import { fromServiceTags, toServiceTags } from './tags.ts';

// The Personalize List calls the kinds share, paginated to the end and memoised per run in
// `ctx.cache`: observing ten dataset groups costs one ListDatasetGroups, not ten.

export async function paginate<T>(page: (nextToken: string | undefined) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const { items, nextToken } = await page(token);
    all.push(...(items ?? []));
    token = nextToken;
  } while (token !== undefined && token !== '');
  return all;
}

/** The paging half of a List request: the largest page the service gives, and where to go on. */
export interface PageRequest {
  readonly maxResults: number;
  readonly nextToken?: string;
}

/** Every page of one List call, memoised per run under `key`; `send` makes one page's request. */
export function memoisedList<T>(ctx: KindContext, key: string, send: (page: PageRequest) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>): Promise<T[]> {
  return memo(ctx, key, () => paginate((nextToken) => send({ maxResults: 100, ...(nextToken ? { nextToken } : {}) })));
}

const KEY_GROUPS = 'personalize:ListDatasetGroups';
const KEY_SCHEMAS = 'personalize:ListSchemas';
const keyDatasets = (groupArn: string): string => `personalize:ListDatasets:${groupArn}`;
const keyImports = (datasetArn: string): string => `personalize:ListDatasetImportJobs:${datasetArn}`;

export function listDatasetGroups(ctx: KindContext): Promise<DatasetGroupSummary[]> {
  return memoisedList(ctx, KEY_GROUPS, async (page) => {
    const out = await ctx.clients.personalize.send(new ListDatasetGroupsCommand(page), signalOf(ctx));
    return { items: out.datasetGroups, nextToken: out.nextToken };
  });
}

/**
 * The ARN of the dataset group with this name, from the shared ListDatasetGroups; undefined when
 * there is none. What the kinds below a group derive their own ARNs from, without waiting for
 * the group's observation.
 */
export async function groupArnNamed(ctx: KindContext, name: unknown): Promise<string | undefined> {
  if (typeof name !== 'string') return undefined;
  return (await listDatasetGroups(ctx)).find((g) => g.name === name)?.datasetGroupArn;
}

export function listSchemas(ctx: KindContext): Promise<DatasetSchemaSummary[]> {
  return memoisedList(ctx, KEY_SCHEMAS, async (page) => {
    const out = await ctx.clients.personalize.send(new ListSchemasCommand(page), signalOf(ctx));
    return { items: out.schemas, nextToken: out.nextToken };
  });
}

export function listDatasets(ctx: KindContext, datasetGroupArn: string): Promise<DatasetSummary[]> {
  return memoisedList(ctx, keyDatasets(datasetGroupArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListDatasetsCommand({ datasetGroupArn, ...page }), signalOf(ctx));
    return { items: out.datasets, nextToken: out.nextToken };
  });
}

/** `fresh` drops the memo first: an import's create must see the jobs as they are now to pick a free name. */
export function listDatasetImportJobs(ctx: KindContext, datasetArn: string, fresh = false): Promise<DatasetImportJobSummary[]> {
  if (fresh) forget(ctx, keyImports(datasetArn));
  return memoisedList(ctx, keyImports(datasetArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListDatasetImportJobsCommand({ datasetArn, ...page }), signalOf(ctx));
    return { items: out.datasetImportJobs, nextToken: out.nextToken };
  });
}

const keyTags = (resourceArn: string): string => `personalize:ListTagsForResource:${resourceArn}`;

/** Memoised too: observe and listOwned both need a resource's tags, and each call is a round trip. */
export function listTags(ctx: KindContext, resourceArn: string): Promise<Record<string, string>> {
  return memo(ctx, keyTags(resourceArn), async () => {
    const out = await ctx.clients.personalize.send(new ListTagsForResourceCommand({ resourceArn }), signalOf(ctx));
    return fromServiceTags(out.tags);
  });
}

/**
 * A Describe call beside the resource's tags (both need only the ARN: one round trip instead of
 * two, and plan latency is per round trip). `known` tags, from an earlier observation, spare the
 * ListTagsForResource. `described` is undefined when the resource is gone.
 */
export async function describeTagged<T>(ctx: KindContext, arn: string, describe: Promise<T>, known?: Record<string, string>): Promise<{ described: T | undefined; tags: Record<string, string> }> {
  const [described, tags] = await Promise.all([orUndefined(describe), known === undefined ? orUndefined(listTags(ctx, arn)) : Promise.resolve(known)]);
  return { described, tags: tags ?? {} };
}

/** Puts this POC's ownership tags back on a resource, and forgets its memoised tags. */
export async function restoreOwnerTags(ctx: KindContext, resourceArn: string): Promise<void> {
  await ctx.clients.personalize.send(new TagResourceCommand({ resourceArn, tags: toServiceTags(ctx.ownerTags) }), signalOf(ctx));
  forget(ctx, keyTags(resourceArn));
}

/** Invalidation after a create or delete, by what changed. */
export const invalidate = {
  groups: (ctx: KindContext): void => forget(ctx, KEY_GROUPS),
  schemas: (ctx: KindContext): void => forget(ctx, KEY_SCHEMAS),
  datasets: (ctx: KindContext, groupArn: string): void => forget(ctx, keyDatasets(groupArn)),
  imports: (ctx: KindContext, datasetArn: string): void => forget(ctx, keyImports(datasetArn)),
};
