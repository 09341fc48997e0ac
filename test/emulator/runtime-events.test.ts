import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCampaignCommand, CreateDatasetImportJobCommand, CreateEventTrackerCommand, DescribeCampaignCommand, DescribeDatasetImportJobCommand, DescribeEventTrackerCommand } from '@aws-sdk/client-personalize';
import { PutEventsCommand, PutItemsCommand, PutUsersCommand } from '@aws-sdk/client-personalize-events';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { ITEMS_SCHEMA, putObject, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, ROLE, syntheticInteractions, train } from './personalize-solutions-helpers.ts';
import { activeCampaign, activeFilter, errorName, runtimeClients } from './runtime-helpers.ts';

describe('Personalize Events against the emulator', () => {
  let h: Harness;
  let clients: ReturnType<typeof runtimeClients>;
  let groupArn = '';
  let datasets: Awaited<ReturnType<typeof groupWithData>>['datasets'] = {};
  let solutionArn = '';
  let firstVersion = '';
  let trackingId = '';

  beforeAll(async () => {
    h = await startHarness();
    clients = runtimeClients(h.emu);
    const items = ['ITEM_ID,GENRE', ...Array.from({ length: 97 }, (_, i) => `i${i},${i % 2 === 0 ? 'even' : 'odd'}`)].join('\n');
    ({ groupArn, datasets } = await groupWithData(h.personalize, h.s3, 'ev', { ...syntheticInteractions(2000, 50), Items: { schema: ITEMS_SCHEMA, csv: `${items}\n` } }));
    solutionArn = await activeSolution(h.personalize, { name: 'ev-popular', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    const version = await train(h.personalize, solutionArn, 60_000);
    expect(version.status, version.failureReason).toBe('ACTIVE');
    firstVersion = version.solutionVersionArn ?? '';
    const tracker = await h.personalize.send(new CreateEventTrackerCommand({ name: 'ev-tracker', datasetGroupArn: groupArn }));
    trackingId = tracker.trackingId ?? '';
    await waitFor(() => h.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn })), (r) => r.eventTracker?.status === 'ACTIVE');
  }, 120_000);

  afterAll(async () => {
    clients?.destroy();
    await h?.dispose();
  });

  const topFor = async (arn: string, userId = 'u1', n = 5): Promise<string[]> => {
    const answer = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: arn, userId, numResults: n }));
    return (answer.itemList ?? []).map((i) => i.itemId ?? '');
  };

  it('events put now make a new item the most popular in the next version, even after a FULL import', async () => {
    expect(await topFor(firstVersion, 'u1', 97)).not.toContain('fresh');
    const sentAt = new Date(1_800_000_000_000);
    for (let user = 0; user < 50; user += 1) {
      const eventList = Array.from({ length: 10 }, (_, i) => ({ eventType: 'click', itemId: 'fresh', sentAt, eventId: `e${user}-${i}` }));
      await clients.events.send(new PutEventsCommand({ trackingId, userId: `u${user}`, sessionId: `s${user}`, eventList }));
    }
    // A FULL import replaces bulk data only: the streamed events stay, as in the service.
    const csv = syntheticInteractions(2000, 50).Interactions?.csv ?? '';
    await putObject(h.s3, 'poc-data', 'ev/again.csv', csv);
    const { datasetImportJobArn } = await h.personalize.send(
      new CreateDatasetImportJobCommand({ jobName: 'ev-again', datasetArn: datasets.Interactions, dataSource: { dataLocation: 's3://poc-data/ev/again.csv' }, roleArn: ROLE, importMode: 'FULL' }),
    );
    await waitFor(() => h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (r) => r.datasetImportJob?.status === 'ACTIVE');
    const next = await train(h.personalize, solutionArn, 60_000);
    expect(next.status, next.failureReason).toBe('ACTIVE');
    expect((await topFor(next.solutionVersionArn ?? ''))[0]).toBe('fresh');
    expect(await topFor(firstVersion, 'u1', 97)).not.toContain('fresh');
  });

  it('filters see events at once', async () => {
    const filterArn = await activeFilter(h.personalize, 'ev-no-purchase', groupArn, 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")');
    const before = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: firstVersion, userId: 'u7', numResults: 3, filterArn }));
    const top = before.itemList?.[0]?.itemId ?? '';
    await clients.events.send(new PutEventsCommand({ trackingId, userId: 'u7', sessionId: 's7', eventList: [{ eventType: 'purchase', itemId: top, sentAt: new Date() }] }));
    const after = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: firstVersion, userId: 'u7', numResults: 3, filterArn }));
    expect(after.itemList?.map((i) => i.itemId)).not.toContain(top);
    expect(after.itemList?.map((i) => i.itemId).slice(0, 2)).toEqual(before.itemList?.slice(1).map((i) => i.itemId));
  });

  it('item metadata put at runtime counts for filters', async () => {
    const filterArn = await activeFilter(h.personalize, 'ev-genre', groupArn, 'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)');
    const even = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: firstVersion, userId: 'u1', numResults: 97, filterArn, filterValues: { GENRE: '"even"' } }));
    const ids = (even.itemList ?? []).map((i) => i.itemId ?? '');
    expect(ids).toHaveLength(49);
    expect(ids.every((id) => Number(id.slice(1)) % 2 === 0)).toBe(true);
    await clients.events.send(new PutItemsCommand({ datasetArn: datasets.Items, items: [{ itemId: 'i1', properties: JSON.stringify({ genre: 'even' }) }] }));
    const after = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: firstVersion, userId: 'u1', numResults: 97, filterArn, filterValues: { GENRE: '"even"' } }));
    expect((after.itemList ?? []).map((i) => i.itemId)).toContain('i1');
  });

  it('returns item metadata only from a campaign that enables it', async () => {
    const { campaignArn = '' } = await h.personalize.send(new CreateCampaignCommand({ name: 'ev-meta', solutionVersionArn: firstVersion, campaignConfig: { enableMetadataWithRecommendations: true } }));
    await waitFor(() => h.personalize.send(new DescribeCampaignCommand({ campaignArn })), (r) => r.campaign?.status === 'ACTIVE');
    const out = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'u2', numResults: 5, metadataColumns: { ITEMS: ['GENRE'] } }));
    expect(out.itemList).toHaveLength(5);
    for (const item of out.itemList ?? []) expect(item.metadata).toEqual({ GENRE: item.itemId === 'i1' ? 'even' : Number(item.itemId?.slice(1)) % 2 === 0 ? 'even' : 'odd' });
    const plain = await activeCampaign(h.personalize, 'ev-plain', firstVersion);
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ campaignArn: plain, userId: 'u2', metadataColumns: { ITEMS: ['GENRE'] } })))).toBe('InvalidInputException');
  });

  it('refuses unknown trackers and datasets, and malformed events, naming the member', async () => {
    const event = { eventType: 'click', itemId: 'i1', sentAt: new Date() };
    expect(await errorName(clients.events.send(new PutEventsCommand({ trackingId: 'no-such-tracker', sessionId: 's', eventList: [event] })))).toBe('ResourceNotFoundException');
    const eleven = Array.from({ length: 11 }, () => event);
    await expect(clients.events.send(new PutEventsCommand({ trackingId, sessionId: 's', eventList: eleven }))).rejects.toThrow(/eventList/);
    await expect(clients.events.send(new PutEventsCommand({ trackingId, sessionId: 's', eventList: [{ ...event, properties: 'not json' }] }))).rejects.toThrow(/eventList\[0\]\.properties/);
    expect(await errorName(clients.events.send(new PutUsersCommand({ datasetArn: datasets.Items, users: [{ userId: 'u1', properties: '{}' }] })))).toBe('InvalidInputException');
    const missing = (datasets.Items ?? '').replace('/ITEMS', '/USERS');
    expect(await errorName(clients.events.send(new PutUsersCommand({ datasetArn: missing, users: [{ userId: 'u1', properties: '{}' }] })))).toBe('ResourceNotFoundException');
  });
});
