import {
  CreateRecommenderCommand,
  DeleteRecommenderCommand,
  DescribeRecommenderCommand,
  ListRecommendersCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
  type Recommender,
  type RecommenderConfig,
  type RecommenderSummary,
} from '@aws-sdk/client-personalize';
import { arnInAccountOf, nameOfArn } from './arn.ts';
import { forget } from './cache.ts';
import { signalOf } from './call-options.ts';
import { listOwnedGroups } from './dataset-group.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt } from './errors.ts';
import type { KindContext, ObservedResource, Props, ResourceKind } from './kind.ts';
import { keyInGroup, listOwnedInGroups } from './owned-in-groups.ts';
import { describeTagged, groupArnNamed, memoisedList, restoreOwnerTags } from './personalize-lists.ts';
import { pollUntil } from './poll.ts';
import { readinessWithUpdate, type StatusReadiness } from './readiness.ts';
import { explorationOf, RECOMMENDER_CONFIG_FIELDS } from './recommender-config.ts';
import { compact } from './solution-config.ts';
import { toServiceTags } from './tags.ts';

const keyRecommenders = (groupArn: string): string => `personalize:ListRecommenders:${groupArn}`;

/** ListRecommenders of a group, memoised per run like the other lists (see personalize-lists.ts). */
export function listRecommenders(ctx: KindContext, datasetGroupArn: string): Promise<RecommenderSummary[]> {
  return memoisedList(ctx, keyRecommenders(datasetGroupArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListRecommendersCommand({ datasetGroupArn, ...page }), signalOf(ctx));
    return { items: out.recommenders, nextToken: out.nextToken };
  });
}

const STOPPED = new Set(['STOP PENDING', 'STOP IN_PROGRESS', 'INACTIVE']);

/** INACTIVE is a settled state (a stopped recommender), not one to wait on. */
function readinessOf(r: Recommender): StatusReadiness {
  const status = r.status ?? 'UNKNOWN';
  if (status === 'INACTIVE') return { status, readiness: 'ready' };
  return readinessWithUpdate(status, r.latestRecommenderUpdate, 'UpdateRecommender', r.failureReason);
}

/** Observed properties in the compiler's shape (see recommender-config.ts). */
export function recommenderPropertiesOf(r: Recommender): Props {
  const config: RecommenderConfig = r.recommenderConfig ?? {};
  return {
    datasetGroup: r.datasetGroupArn === undefined ? null : nameOfArn(r.datasetGroupArn),
    recipe: r.recipeArn ?? null,
    minRequestsPerSecond: config.minRecommendationRequestsPerSecond ?? 1,
    itemExploration: explorationOf(config.itemExplorationConfig),
    enableMetadataWithRecommendations: config.enableMetadataWithRecommendations ?? false,
    trainingDataConfig: compact(config.trainingDataConfig),
    stopped: STOPPED.has(r.status ?? ''),
  };
}

function toObserved(address: string, r: Recommender, tags: Record<string, string>): ObservedResource {
  const { status, readiness, failureReason } = readinessOf(r);
  return {
    address,
    kind: 'recommender',
    name: r.name ?? '',
    id: r.recommenderArn ?? '',
    status,
    readiness,
    ...(failureReason === undefined ? {} : { failureReason }),
    properties: recommenderPropertiesOf(r),
    tags,
  };
}

async function describe(ctx: KindContext, address: string, recommenderArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, recommenderArn, ctx.clients.personalize.send(new DescribeRecommenderCommand({ recommenderArn }), signalOf(ctx)), tags);
  return described?.recommender === undefined ? undefined : toObserved(address, described.recommender, liveTags);
}

/** The whole recommenderConfig for the desired properties: UpdateRecommender replaces it whole. */
function configOf(p: Props): RecommenderConfig {
  const exploration = p['itemExploration'];
  const columns = p['trainingDataConfig'];
  return {
    minRecommendationRequestsPerSecond: typeof p['minRequestsPerSecond'] === 'number' ? p['minRequestsPerSecond'] : 1,
    enableMetadataWithRecommendations: p['enableMetadataWithRecommendations'] === true,
    ...(exploration !== null && typeof exploration === 'object' ? { itemExplorationConfig: exploration as Record<string, string> } : {}),
    ...(columns !== null && typeof columns === 'object' ? { trainingDataConfig: columns as RecommenderConfig['trainingDataConfig'] } : {}),
  };
}

/** Waits inside one kind call for a status the next call needs (Stop and Update need ACTIVE). */
function waitFor(ctx: KindContext, arn: string, what: string, done: (r: Recommender) => boolean): Promise<unknown> {
  return pollUntil(
    async () => (await ctx.clients.personalize.send(new DescribeRecommenderCommand({ recommenderArn: arn }), signalOf(ctx))).recommender ?? {},
    (r) => done(r) || (r.status ?? '').includes('FAILED'),
    { signal: ctx.signal, what },
  );
}

const settledActive = (r: Recommender): boolean => r.status === 'ACTIVE' && !/PENDING|IN_PROGRESS/.test(r.latestRecommenderUpdate?.status ?? '');

async function stop(ctx: KindContext, arn: string, name: string): Promise<void> {
  await waitFor(ctx, arn, `recommender ${name} to be ACTIVE before stopping it`, settledActive);
  await ctx.clients.personalize.send(new StopRecommenderCommand({ recommenderArn: arn }), signalOf(ctx));
}

/**
 * A recommender of a domain dataset group, at `datasetGroup.<g>.recommender.<key>`, named
 * `<poc>-<g>-<key>` unless poc.yaml names it. Its use case (`recipe`) and group are fixed: a change
 * replaces it (and retrains). The configuration changes in place with UpdateRecommender (sent
 * whole; a column change retrains while the old model serves), and `stopped` with
 * Stop/StartRecommender. Create trains a model, so it waits for the group's imports; a
 * recommender declared stopped is stopped once its training finishes. Observe: DescribeRecommender
 * on the ARN derived from the group's (found by name in the shared ListDatasetGroups), alongside
 * ListTagsForResource.
 */
export const recommenderKind: ResourceKind = {
  kind: 'recommender',
  fields: {
    datasetGroup: { update: 'replace' },
    recipe: { update: 'replace' },
    minRequestsPerSecond: { update: 'in-place' },
    itemExploration: { update: 'in-place' },
    enableMetadataWithRecommendations: { update: 'in-place' },
    trainingDataConfig: { update: 'in-place' },
    stopped: { update: 'in-place' },
  },
  // With campaigns: first in the service's safe order, before solutions and datasets.
  deleteOrder: 20,
  supportsTags: true,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    if (groupArn === undefined) return undefined;
    return describe(ctx, node.address, arnInAccountOf(groupArn, 'recommender', node.name));
  },

  async listOwned(ctx) {
    // Only a domain dataset group can hold recommenders (the group's List summary names its
    // domain): the others cost no ListRecommenders.
    const domainGroups = new Set((await listOwnedGroups(ctx)).filter((g) => g.properties['domain'] !== null).map((g) => g.id));
    const inDomainGroup = async (c: KindContext, groupArn: string): Promise<RecommenderSummary[]> => (domainGroups.has(groupArn) ? listRecommenders(c, groupArn) : []);
    const owned = await listOwnedInGroups(ctx, inDomainGroup, (r) => r.recommenderArn, (r) => r.name);
    return owned.map(({ group, summary, name, tags }) => toObserved(`${group.address}.recommender.${keyInGroup(group.name, name)}`, summary, tags));
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    if (group === undefined) throw new Error(`recommender ${node.name} needs its dataset group to exist first`);
    const arn = arnInAccountOf(group.id, 'recommender', node.name);
    const recipeArn = node.properties['recipe'];
    await createOrAdopt(
      ctx.clients.personalize.send(
        new CreateRecommenderCommand({
          name: node.name,
          datasetGroupArn: group.id,
          recipeArn: typeof recipeArn === 'string' ? recipeArn : undefined,
          recommenderConfig: configOf(node.properties),
          tags: toServiceTags(ctx.ownerTags),
        }),
        signalOf(ctx),
      ),
    );
    forget(ctx, keyRecommenders(group.id));
    if (node.properties['stopped'] === true) await stop(ctx, arn, node.name);
    const created = await describe(ctx, node.address, arn);
    if (created === undefined) throw new Error(`recommender ${node.name} was created but cannot be found`);
    return created;
  },

  async update(ctx, node, observed, fields) {
    const arn = observed.id;
    const start = fields.includes('stopped') && node.properties['stopped'] !== true;
    const stopping = fields.includes('stopped') && node.properties['stopped'] === true;
    if (start) {
      await ctx.clients.personalize.send(new StartRecommenderCommand({ recommenderArn: arn }), signalOf(ctx));
    }
    if (RECOMMENDER_CONFIG_FIELDS.some((f) => fields.includes(f))) {
      // UpdateRecommender needs an ACTIVE recommender; one just started is still on its way.
      if (start) await waitFor(ctx, arn, `recommender ${node.name} to start`, settledActive);
      await ctx.clients.personalize.send(new UpdateRecommenderCommand({ recommenderArn: arn, recommenderConfig: configOf(node.properties) }), signalOf(ctx));
    }
    if (stopping) await stop(ctx, arn, node.name);
    if (fields.includes('tags')) await restoreOwnerTags(ctx, arn);
    return (await describe(ctx, node.address, arn)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteRecommenderCommand({ recommenderArn: observed.id }), signalOf(ctx));
    forget(ctx, keyRecommenders(arnInAccountOf(observed.id, 'dataset-group', String(observed.properties['datasetGroup']))));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),
};
