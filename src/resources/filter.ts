import { CreateFilterCommand, DeleteFilterCommand, DescribeFilterCommand, type Filter } from '@aws-sdk/client-personalize';
import { arnInAccountOf, nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt } from './errors.ts';
import type { KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { keyInGroup, listOwnedInGroups, observedFromSummary } from './owned-in-groups.ts';
import { describeTagged, groupArnNamed, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { invalidateServing, listFilters } from './serving-lists.ts';
import { toServiceTags } from './tags.ts';

function toObserved(address: string, filter: Filter, tags: Record<string, string>): ObservedResource {
  const status = filter.status ?? 'UNKNOWN';
  return {
    address,
    kind: 'filter',
    name: filter.name ?? '',
    id: filter.filterArn ?? '',
    status,
    readiness: personalizeReadiness(status),
    ...(filter.failureReason === undefined ? {} : { failureReason: filter.failureReason }),
    properties: { datasetGroup: filter.datasetGroupArn === undefined ? null : nameOfArn(filter.datasetGroupArn), expression: filter.filterExpression ?? null },
    tags,
  };
}

async function describe(ctx: KindContext, address: string, filterArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, filterArn, ctx.clients.personalize.send(new DescribeFilterCommand({ filterArn }), signalOf(ctx)), tags);
  return described?.filter === undefined ? undefined : toObserved(address, described.filter, liveTags);
}

/**
 * A filter, at `datasetGroup.<g>.filter.<f>`, named `<poc>-<g>-<f>` (or its `name:`). Properties
 * `{datasetGroup, expression}`; the service cannot change a filter, so any change replaces it,
 * and the expression is sensitive (it can name user attributes): plans say only that it changed.
 * Observe: DescribeFilter on the ARN derived from the group's, with ListTagsForResource.
 */
export const filterKind: ResourceKind = {
  kind: 'filter',
  fields: {
    datasetGroup: { update: 'replace' },
    expression: { update: 'replace', sensitive: true },
  },
  deleteOrder: 40,
  supportsTags: true,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    if (groupArn === undefined) return undefined;
    return describe(ctx, node.address, arnInAccountOf(groupArn, 'filter', node.name));
  },

  async listOwned(ctx) {
    const owned = await listOwnedInGroups(ctx, listFilters, (f) => f.filterArn, (f) => f.name);
    return owned.map((found) => observedFromSummary('filter', `${found.group.address}.filter.${keyInGroup(found.group.name, found.name)}`, found, { datasetGroup: found.group.name }));
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    const expression = node.properties['expression'];
    if (group === undefined || typeof expression !== 'string') throw new Error(`filter ${node.name} needs its dataset group and an expression`);
    await createOrAdopt(ctx.clients.personalize.send(new CreateFilterCommand({ name: node.name, datasetGroupArn: group.id, filterExpression: expression, tags: toServiceTags(ctx.ownerTags) }), signalOf(ctx)));
    invalidateServing.filters(ctx, group.id);
    const created = await describe(ctx, node.address, arnInAccountOf(group.id, 'filter', node.name));
    if (created === undefined) throw new Error(`filter ${node.name} was created but cannot be found`);
    return created;
  },

  // Filters are immutable: only the ownership tags change in place.
  async update(ctx, node, observed, fields) {
    if (fields.includes('tags')) await restoreOwnerTags(ctx, observed.id);
    return (await describe(ctx, node.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteFilterCommand({ filterArn: observed.id }), signalOf(ctx));
    const group = observed.properties['datasetGroup'];
    if (typeof group === 'string') invalidateServing.filters(ctx, arnInAccountOf(observed.id, 'dataset-group', group));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),
};
