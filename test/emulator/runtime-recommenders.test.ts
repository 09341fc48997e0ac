import { readFileSync } from 'node:fs';
import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateRecommenderCommand,
  CreateSchemaCommand,
  DescribeDatasetImportJobCommand,
  DescribeRecommenderCommand,
  StopRecommenderCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, putObject, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { recipe, ROLE } from './personalize-solutions-helpers.ts';
import { activeFilter, errorName, runtimeClients } from './runtime-helpers.ts';

const REPO = new URL('../../', import.meta.url);
const repoFile = (path: string): string => readFileSync(new URL(path, REPO), 'utf8');

/** The first 8,000 example interactions: enough View events for the View use cases. */
const INTERACTIONS = `${repoFile('data/interactions.csv').split('\n').slice(0, 8001).join('\n')}\n`;
const CATEGORY = new Map(
  repoFile('data/items.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => [l.split(',')[0] ?? '', l.split(',')[1] ?? ''] as const),
);

async function importInto(h: Harness, datasetGroupArn: string, type: 'Interactions' | 'Items', schema: string, csv: string): Promise<void> {
  const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: `rec-${type}`, schema, domain: 'ECOMMERCE' }));
  const { datasetArn } = await h.personalize.send(new CreateDatasetCommand({ name: `rec-${type}`, datasetGroupArn, schemaArn, datasetType: type }));
  await putObject(h.s3, 'poc-data', `rec/${type}.csv`, csv);
  const { datasetImportJobArn } = await h.personalize.send(new CreateDatasetImportJobCommand({ jobName: `rec-${type}`, datasetArn, dataSource: { dataLocation: `s3://poc-data/rec/${type}.csv` }, roleArn: ROLE }));
  const job = await waitFor(() => h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (r) => ['ACTIVE', 'CREATE FAILED'].includes(r.datasetImportJob?.status ?? ''), 20_000);
  expect(job.datasetImportJob?.failureReason).toBeUndefined();
}

async function activeRecommender(h: Harness, name: string, datasetGroupArn: string, useCase: string): Promise<string> {
  const { recommenderArn = '' } = await h.personalize.send(new CreateRecommenderCommand({ name, datasetGroupArn, recipeArn: recipe(useCase) }));
  const done = await waitFor(() => h.personalize.send(new DescribeRecommenderCommand({ recommenderArn })), (r) => ['ACTIVE', 'CREATE FAILED'].includes(r.recommender?.status ?? ''), 60_000);
  expect(done.recommender?.failureReason).toBeUndefined();
  return recommenderArn;
}

describe('Personalize Runtime on recommenders', () => {
  let h: Harness;
  let clients: ReturnType<typeof runtimeClients>;
  let groupArn = '';
  let forYou = '';
  let alsoViewed = '';

  beforeAll(async () => {
    h = await startHarness();
    clients = runtimeClients(h.emu);
    groupArn = await activeGroup(h.personalize, 'rec', 'ECOMMERCE');
    await importInto(h, groupArn, 'Interactions', repoFile('schemas/interactions.avsc'), INTERACTIONS);
    await importInto(h, groupArn, 'Items', repoFile('schemas/items.avsc'), repoFile('data/items.csv'));
    [forYou, alsoViewed] = await Promise.all([activeRecommender(h, 'rec-for-you', groupArn, 'aws-ecomm-recommended-for-you'), activeRecommender(h, 'rec-viewed', groupArn, 'aws-ecomm-customers-who-viewed-x-also-viewed')]);
  }, 120_000);

  afterAll(async () => {
    clients?.destroy();
    await h?.dispose();
  });

  it('serves a user use case by recommenderArn', async () => {
    const out = await clients.runtime.send(new GetRecommendationsCommand({ recommenderArn: forYou, userId: 'U00650', numResults: 7 }));
    expect(out.itemList).toHaveLength(7);
    expect(new Set(out.itemList?.map((i) => i.itemId)).size).toBe(7);
  });

  it('serves related items, and a CurrentItem filter keeps the current item\'s category', async () => {
    const item = 'P0264';
    const plain = await clients.runtime.send(new GetRecommendationsCommand({ recommenderArn: alsoViewed, itemId: item, numResults: 30 }));
    const categories = new Set((plain.itemList ?? []).map((i) => CATEGORY.get(i.itemId ?? '')));
    expect(categories.size).toBeGreaterThan(1);
    const filterArn = await activeFilter(h.personalize, 'rec-same-category', groupArn, 'INCLUDE ItemID WHERE Items.CATEGORY_L1 IN CurrentItem.CATEGORY_L1');
    const same = await clients.runtime.send(new GetRecommendationsCommand({ recommenderArn: alsoViewed, itemId: item, numResults: 10, filterArn }));
    expect(same.itemList).toHaveLength(10);
    expect(same.itemList?.every((i) => CATEGORY.get(i.itemId ?? '') === CATEGORY.get(item))).toBe(true);
    const expected = (plain.itemList ?? []).filter((i) => CATEGORY.get(i.itemId ?? '') === CATEGORY.get(item)).map((i) => i.itemId);
    expect(same.itemList?.map((i) => i.itemId).slice(0, expected.length)).toEqual(expected.slice(0, 10));
  });

  it('refuses a related-items use case without itemId, and a stopped recommender', async () => {
    await expect(clients.runtime.send(new GetRecommendationsCommand({ recommenderArn: alsoViewed, userId: 'U00650' }))).rejects.toThrow(/itemId/);
    await h.personalize.send(new StopRecommenderCommand({ recommenderArn: forYou }));
    await waitFor(() => h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou })), (r) => r.recommender?.status === 'INACTIVE');
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ recommenderArn: forYou, userId: 'U00650' })))).toBe('InvalidInputException');
  });
});
