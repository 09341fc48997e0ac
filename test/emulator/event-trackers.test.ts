import {
  CreateEventTrackerCommand,
  DeleteDatasetGroupCommand,
  DeleteEventTrackerCommand,
  DescribeEventTrackerCommand,
  ListEventTrackersCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, startHarness, waitFor, type Harness } from './personalize-helpers.ts';

describe('event trackers', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('creates a tracker with a random ARN and a tracking id that Describe repeats', async () => {
    const groupArn = await activeGroup(h.personalize, 'shop');
    const created = await h.personalize.send(new CreateEventTrackerCommand({ name: 'shop-tracker', datasetGroupArn: groupArn, tags: [{ tagKey: 'poc:name', tagValue: 'shop' }] }));
    expect(created.eventTrackerArn).toMatch(/^arn:aws:personalize:us-east-1:000000000000:event-tracker\/[0-9a-f]{8}$/);
    expect(created.trackingId).toMatch(/^[0-9a-f-]{36}$/);
    const { eventTracker } = await waitFor(() => h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: created.eventTrackerArn })), (r) => r.eventTracker?.status === 'ACTIVE');
    expect(eventTracker).toMatchObject({ name: 'shop-tracker', trackingId: created.trackingId, datasetGroupArn: groupArn, accountId: '000000000000' });
    const listed = await h.personalize.send(new ListEventTrackersCommand({ datasetGroupArn: groupArn }));
    expect(listed.eventTrackers?.map((t) => [t.name, t.eventTrackerArn, t.status])).toEqual([['shop-tracker', created.eventTrackerArn, 'ACTIVE']]);
    expect((await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: created.eventTrackerArn }))).tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
  });

  it('allows one tracker per dataset group and one tracker per name', async () => {
    const groupArn = await activeGroup(h.personalize, 'one');
    await h.personalize.send(new CreateEventTrackerCommand({ name: 'one-tracker', datasetGroupArn: groupArn }));
    const second = await errorOf(h.personalize.send(new CreateEventTrackerCommand({ name: 'one-tracker-2', datasetGroupArn: groupArn })));
    expect(second.name).toBe('ResourceAlreadyExistsException');
    expect(second.message).toContain('at most one');
    const otherArn = await activeGroup(h.personalize, 'two');
    const sameName = await errorOf(h.personalize.send(new CreateEventTrackerCommand({ name: 'one-tracker', datasetGroupArn: otherArn })));
    expect(sameName.name).toBe('ResourceAlreadyExistsException');
    const missing = await errorOf(h.personalize.send(new CreateEventTrackerCommand({ name: 'x', datasetGroupArn: `${otherArn}-missing` })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('keeps its dataset group until it is deleted; then the group takes a new tracker or goes', async () => {
    const groupArn = await activeGroup(h.personalize, 'three');
    const { eventTrackerArn = '' } = await h.personalize.send(new CreateEventTrackerCommand({ name: 'three-tracker', datasetGroupArn: groupArn }));
    await waitFor(() => h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn })), (r) => r.eventTracker?.status === 'ACTIVE');
    const blocked = await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn })));
    expect(blocked.name).toBe('ResourceInUseException');
    expect(blocked.message).toContain(eventTrackerArn);
    await h.personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn }))), (e) => e.name === 'ResourceNotFoundException');
    const replacement = await h.personalize.send(new CreateEventTrackerCommand({ name: 'three-tracker', datasetGroupArn: groupArn }));
    expect(replacement.eventTrackerArn).not.toBe(eventTrackerArn);
    await waitFor(() => h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: replacement.eventTrackerArn })), (r) => r.eventTracker?.status === 'ACTIVE');
    await h.personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn: replacement.eventTrackerArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: replacement.eventTrackerArn }))), (e) => e.name === 'ResourceNotFoundException');
    await h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn }));
  });
});
