import {
  CreateDatasetGroupCommand,
  CreateFilterCommand,
  DeleteDatasetGroupCommand,
  DeleteFilterCommand,
  DescribeFilterCommand,
  ListFiltersCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, startHarness, waitFor, type Harness } from './personalize-helpers.ts';

const NOT_PURCHASED = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")';

describe('filters', () => {
  let h: Harness;
  let groupArn: string;

  beforeAll(async () => {
    h = await startHarness({ durations: { create: 200 } });
    groupArn = await activeGroup(h.personalize, 'shop');
  }, 20_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('creates a filter that becomes ACTIVE, describes its expression and lists it under Filters', async () => {
    const { filterArn = '' } = await h.personalize.send(
      new CreateFilterCommand({ name: 'shop-not-purchased', datasetGroupArn: groupArn, filterExpression: NOT_PURCHASED, tags: [{ tagKey: 'poc:name', tagValue: 'shop' }] }),
    );
    expect(filterArn).toBe('arn:aws:personalize:us-east-1:000000000000:filter/shop-not-purchased');
    expect((await h.personalize.send(new DescribeFilterCommand({ filterArn }))).filter?.status).toBe('CREATE PENDING');
    const { filter } = await waitFor(() => h.personalize.send(new DescribeFilterCommand({ filterArn })), (r) => r.filter?.status === 'ACTIVE');
    expect(filter).toMatchObject({ name: 'shop-not-purchased', filterArn, datasetGroupArn: groupArn, filterExpression: NOT_PURCHASED });
    // The SDK reads ListFilters' capitalised `Filters` key; an emulator answering `filters` would give undefined.
    const listed = await h.personalize.send(new ListFiltersCommand({ datasetGroupArn: groupArn }));
    expect(listed.Filters?.map((f) => [f.name, f.status, f.datasetGroupArn])).toEqual([['shop-not-purchased', 'ACTIVE', groupArn]]);
    expect((await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: filterArn }))).tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
    const again = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-not-purchased', datasetGroupArn: groupArn, filterExpression: NOT_PURCHASED })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
  });

  it('refuses an invalid expression with InvalidInputException saying where, and an over-long one before the service sees it', async () => {
    const bad = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-bad', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHEN Interactions.EVENT_TYPE IN ("Purchase")' })));
    expect(bad.name).toBe('InvalidInputException');
    expect(bad.message).toContain('column 16');
    const long = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-bad', datasetGroupArn: groupArn, filterExpression: `${NOT_PURCHASED} ${' '.repeat(2500)}` })));
    expect(long.name).toBe('ValidationException');
    expect((await h.personalize.send(new ListFiltersCommand({}))).Filters?.some((f) => f.name === 'shop-bad')).toBe(false);
  });

  it('needs an existing, ACTIVE dataset group', async () => {
    const missing = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-x', datasetGroupArn: `${groupArn}-missing`, filterExpression: NOT_PURCHASED })));
    expect(missing.name).toBe('ResourceNotFoundException');
    const { datasetGroupArn } = await h.personalize.send(new CreateDatasetGroupCommand({ name: 'shop-young' }));
    const young = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-young', datasetGroupArn, filterExpression: NOT_PURCHASED })));
    expect(young.name).toBe('ResourceInUseException');
  });

  it('keeps its dataset group until it is deleted, then is gone', async () => {
    const otherArn = await activeGroup(h.personalize, 'other');
    const { filterArn = '' } = await h.personalize.send(new CreateFilterCommand({ name: 'other-filter', datasetGroupArn: otherArn, filterExpression: NOT_PURCHASED }));
    const early = await errorOf(h.personalize.send(new DeleteFilterCommand({ filterArn })));
    expect(early.name).toBe('ResourceInUseException');
    await waitFor(() => h.personalize.send(new DescribeFilterCommand({ filterArn })), (r) => r.filter?.status === 'ACTIVE');
    const blocked = await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: otherArn })));
    expect(blocked.name).toBe('ResourceInUseException');
    expect(blocked.message).toContain(filterArn);
    await h.personalize.send(new DeleteFilterCommand({ filterArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeFilterCommand({ filterArn }))), (e) => e.name === 'ResourceNotFoundException');
    await h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: otherArn }));
  });

  it('refuses an eleventh filter in one dataset group', async () => {
    const count = (await h.personalize.send(new ListFiltersCommand({ datasetGroupArn: groupArn }))).Filters?.length ?? 0;
    for (let i = count; i < 10; i++) {
      await h.personalize.send(new CreateFilterCommand({ name: `shop-filter-${i}`, datasetGroupArn: groupArn, filterExpression: NOT_PURCHASED }));
    }
    const eleventh = await errorOf(h.personalize.send(new CreateFilterCommand({ name: 'shop-filter-11', datasetGroupArn: groupArn, filterExpression: NOT_PURCHASED })));
    expect(eleventh.name).toBe('LimitExceededException');
  });
});
