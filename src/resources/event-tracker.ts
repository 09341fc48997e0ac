import { CreateEventTrackerCommand, DeleteEventTrackerCommand, DescribeEventTrackerCommand, type EventTracker } from '@aws-sdk/client-personalize';
import { nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { listOwnedGroups } from './dataset-group.ts';
import { dependencyOf } from './dependency.ts';
import { isAlreadyExists, orUndefined } from './errors.ts';
import type { KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { groupArnNamed, listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { arnInAccountOf, invalidateServing, listEventTrackers } from './serving-lists.ts';
import { isOwned, toServiceTags } from './tags.ts';

function toObserved(address: string, tracker: EventTracker, tags: Record<string, string>): ObservedResource {
  const status = tracker.status ?? 'UNKNOWN';
  return {
    address,
    kind: 'eventTracker',
    name: tracker.name ?? '',
    id: tracker.eventTrackerArn ?? '',
    status,
    readiness: personalizeReadiness(status),
    // The tracking id is what PutEvents needs: observed so plans and apply output can show it.
    properties: { datasetGroup: tracker.datasetGroupArn === undefined ? null : nameOfArn(tracker.datasetGroupArn), trackingId: tracker.trackingId ?? null },
    tags,
  };
}

async function describe(ctx: KindContext, address: string, eventTrackerArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const [out, liveTags] = await Promise.all([
    orUndefined(ctx.clients.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn }), signalOf(ctx))),
    tags === undefined ? orUndefined(listTags(ctx, eventTrackerArn)) : Promise.resolve(tags),
  ]);
  if (out?.eventTracker === undefined) return undefined;
  return toObserved(address, out.eventTracker, liveTags ?? {});
}

/** The tracker's ARN carries a random id, so it is found by name in its group's list. */
async function findInGroup(ctx: KindContext, address: string, groupArn: string, name: string): Promise<ObservedResource | undefined> {
  const summary = (await orUndefined(listEventTrackers(ctx, groupArn)))?.find((t) => t.name === name);
  return summary?.eventTrackerArn === undefined ? undefined : describe(ctx, address, summary.eventTrackerArn);
}

/**
 * A group's event tracker, at `datasetGroup.<g>.eventTracker`, named `<poc>-<g>-tracker` (or its
 * `name:`). Nothing about it can change: a different group replaces it. Its `trackingId` is an
 * observed property only (never compared), shown in plans so users can send PutEvents. Observe:
 * ListEventTrackers of the group, then DescribeEventTracker with ListTagsForResource.
 */
export const eventTrackerKind: ResourceKind = {
  kind: 'eventTracker',
  fields: {
    datasetGroup: { update: 'replace' },
  },
  deleteOrder: 35,
  supportsTags: true,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    return groupArn === undefined ? undefined : findInGroup(ctx, node.address, groupArn, node.name);
  },

  async listOwned(ctx) {
    const perGroup = await Promise.all(
      (await listOwnedGroups(ctx)).map(async (group) => {
        const trackers = (await listEventTrackers(ctx, group.id)).filter((t) => t.eventTrackerArn !== undefined && t.name !== undefined);
        const tags = await Promise.all(trackers.map(async (t) => (await orUndefined(listTags(ctx, t.eventTrackerArn ?? ''))) ?? {}));
        return trackers.map((t, i) => ({ group, t, tags: tags[i] ?? {} }));
      }),
    );
    const found: ObservedResource[] = [];
    for (const { group, t, tags } of perGroup.flat()) {
      if (t.eventTrackerArn === undefined || t.name === undefined || !isOwned(ctx, tags)) continue;
      const status = t.status ?? 'UNKNOWN';
      found.push({ address: `${group.address}.eventTracker`, kind: 'eventTracker', name: t.name, id: t.eventTrackerArn, status, readiness: personalizeReadiness(status), properties: { datasetGroup: group.name }, tags });
    }
    return found;
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    if (group === undefined) throw new Error(`event tracker ${node.name} needs its dataset group to exist first`);
    try {
      await ctx.clients.personalize.send(new CreateEventTrackerCommand({ name: node.name, datasetGroupArn: group.id, tags: toServiceTags(ctx.ownerTags) }), signalOf(ctx));
    } catch (err) {
      // A crashed run created it, or the group has another tracker: observe says which.
      if (!isAlreadyExists(err)) throw err;
    }
    invalidateServing.trackers(ctx, group.id);
    const created = await findInGroup(ctx, node.address, group.id, node.name);
    if (created === undefined) throw new Error(`event tracker ${node.name} cannot be created: dataset group ${group.name} already has another event tracker (at most one per group)`);
    return created;
  },

  // Only the ownership tags can change.
  async update(ctx, node, observed, fields) {
    if (fields.includes('tags')) await restoreOwnerTags(ctx, observed.id);
    return (await describe(ctx, node.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn: observed.id }), signalOf(ctx));
    const group = observed.properties['datasetGroup'];
    if (typeof group === 'string') invalidateServing.trackers(ctx, arnInAccountOf(observed.id, 'dataset-group', group));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),

  async describeChange(_ctx, _node, observed) {
    const trackingId = observed?.properties['trackingId'];
    return typeof trackingId === 'string' ? { title: `Tracking id for PutEvents: ${trackingId}`, rows: [] } : undefined;
  },
};
