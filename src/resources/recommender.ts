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
import { nameOfArn } from './arn.ts';
import { forget, memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import { listOwnedGroups } from './dataset-group.ts';
import { dependencyOf } from './dependency.ts';
import { isAlreadyExists, orUndefined } from './errors.ts';
import type { KindContext, ObservedResource, Props, Readiness, ResourceKind } from './kind.ts';
import { groupArnNamed, listTags, paginate, restoreOwnerTags } from './personalize-lists.ts';
import { pollUntil } from './poll.ts';
import { personalizeReadiness } from './readiness.ts';
import { explorationOf, RECOMMENDER_CONFIG_FIELDS } from './recommender-config.ts';
import { compact } from './solution-config.ts';
import { isOwned, toServiceTags } from './tags.ts';

/** `...:dataset-group/G` -> `...:recommender/NAME`: a recommender's ARN carries only its own name. */
export function recommenderArnOf(groupArn: string, name: string): string {
  return `${groupArn.slice(0, groupArn.indexOf(':dataset-group/'))}:recommender/${name}`;
}

const keyRecommenders = (groupArn: string): string => `personalize:ListRecommenders:${groupArn}`;

function listRecommenders(ctx: KindContext, datasetGroupArn: string): Promise<RecommenderSummary[]> {
  return memo(ctx, keyRecommenders(datasetGroupArn), () =>
    paginate(async (nextToken) => {
      const out = await ctx.clients.personalize.send(new ListRecommendersCommand({ datasetGroupArn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
      return { items: out.recommenders, nextToken: out.nextToken };
    }),
  );
}

const STOPPED = new Set(['STOP PENDING', 'STOP IN_PROGRESS', 'INACTIVE']);

/**
 * INACTIVE is a settled state (a stopped recommender), not one to wait on. A pending
 * UpdateRecommender keeps the recommender ACTIVE with its old configuration: waiting goes on.
 */
function readinessOf(r: Recommender): { status: string; readiness: Readiness; failureReason?: string } {
  const status = r.status ?? 'UNKNOWN';
  const update = r.latestRecommenderUpdate?.status;
  if (status === 'INACTIVE') return { status, readiness: 'ready' };
  if (status === 'ACTIVE' && update !== undefined && update !== 'ACTIVE' && !update.includes('FAILED')) return { status: `UPDATE ${update.replace(/^CREATE /, '')}`, readiness: 'pending' };
  if (status === 'ACTIVE' && update?.includes('FAILED') === true) {
    return { status, readiness: 'ready', failureReason: `the last UpdateRecommender failed: ${r.latestRecommenderUpdate?.failureReason ?? 'no reason given'}` };
  }
  return { status, readiness: personalizeReadiness(status), ...(r.failureReason === undefined ? {} : { failureReason: r.failureReason }) };
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
  const [out, liveTags] = await Promise.all([
    orUndefined(ctx.clients.personalize.send(new DescribeRecommenderCommand({ recommenderArn }), signalOf(ctx))),
    tags === undefined ? orUndefined(listTags(ctx, recommenderArn)) : Promise.resolve(tags),
  ]);
  if (out?.recommender === undefined) return undefined;
  return toObserved(address, out.recommender, liveTags ?? {});
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
    return describe(ctx, node.address, recommenderArnOf(groupArn, node.name));
  },

  async listOwned(ctx) {
    const perGroup = await Promise.all(
      (await listOwnedGroups(ctx)).map(async (group) => {
        const recommenders = (await listRecommenders(ctx, group.id)).filter((r) => r.recommenderArn !== undefined && r.name !== undefined);
        const tags = await Promise.all(recommenders.map(async (r) => (await orUndefined(listTags(ctx, r.recommenderArn ?? ''))) ?? {}));
        return recommenders.map((r, i) => ({ group, r, tags: tags[i] ?? {} }));
      }),
    );
    const found: ObservedResource[] = [];
    for (const { group, r, tags } of perGroup.flat()) {
      if (r.recommenderArn === undefined || r.name === undefined || !isOwned(ctx, tags)) continue;
      const key = r.name.startsWith(`${group.name}-`) ? r.name.slice(group.name.length + 1) : r.name;
      found.push(toObserved(`${group.address}.recommender.${key}`, r, tags));
    }
    return found;
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    if (group === undefined) throw new Error(`recommender ${node.name} needs its dataset group to exist first`);
    const arn = recommenderArnOf(group.id, node.name);
    const recipeArn = node.properties['recipe'];
    try {
      await ctx.clients.personalize.send(
        new CreateRecommenderCommand({
          name: node.name,
          datasetGroupArn: group.id,
          recipeArn: typeof recipeArn === 'string' ? recipeArn : undefined,
          recommenderConfig: configOf(node.properties),
          tags: toServiceTags(ctx.ownerTags),
        }),
        signalOf(ctx),
      );
    } catch (err) {
      // A crashed run created it: the executor compares what is there with poc.yaml.
      if (!isAlreadyExists(err)) throw err;
    }
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
    forget(ctx, keyRecommenders(`${observed.id.slice(0, observed.id.indexOf(':recommender/'))}:dataset-group/${String(observed.properties['datasetGroup'])}`));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),
};
