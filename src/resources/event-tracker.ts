import { CreateEventTrackerCommand, DeleteEventTrackerCommand, DescribeEventTrackerCommand, type EventTracker } from '@aws-sdk/client-personalize';
import { arnInAccountOf, nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt, orUndefined } from './errors.ts';
import type { KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { listOwnedInGroups, observedFromSummary } from './owned-in-groups.ts';
import { describeTagged, groupArnNamed, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { invalidateServing, listEventTrackers } from './serving-lists.ts';
import { toServiceTags } from './tags.ts';

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
    ...(tracker.trackingId === undefined ? {} : { note: `tracking id ${tracker.trackingId}` }),
  };
}

async function describe(ctx: KindContext, address: string, eventTrackerArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, eventTrackerArn, ctx.clients.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn }), signalOf(ctx)), tags);
  return described?.eventTracker === undefined ? undefined : toObserved(address, described.eventTracker, liveTags);
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
    const owned = await listOwnedInGroups(ctx, listEventTrackers, (t) => t.eventTrackerArn, (t) => t.name);
    return owned.map((found) => observedFromSummary('eventTracker', `${found.group.address}.eventTracker`, found, { datasetGroup: found.group.name }));
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    if (group === undefined) throw new Error(`event tracker ${node.name} needs its dataset group to exist first`);
    // "Already exists" is a crashed run's tracker, or another tracker of the group: the lookup below says which.
    await createOrAdopt(ctx.clients.personalize.send(new CreateEventTrackerCommand({ name: node.name, datasetGroupArn: group.id, tags: toServiceTags(ctx.ownerTags) }), signalOf(ctx)));
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
