import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateRecommenderCommand,
  CreateSchemaCommand,
  DeleteDatasetGroupCommand,
  DeleteRecommenderCommand,
  DescribeDatasetImportJobCommand,
  DescribeRecommenderCommand,
  ListRecipesCommand,
  ListRecommendersCommand,
  ListTagsForResourceCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
  type Recommender,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, putObject, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { groupWithData, recipe, ROLE, syntheticInteractions } from './personalize-solutions-helpers.ts';

const REPO = new URL('../../', import.meta.url);
const repoFile = (path: string): string => readFileSync(new URL(path, REPO), 'utf8');

/**
 * The first 8000 example interactions with event types lower-cased: about 6,200 `view` and 540
 * `purchase` events, so View use cases train (matched case-insensitively) and Purchase ones fail.
 */
function domainInteractions(): string {
  const [header = '', ...rows] = repoFile('data/interactions.csv').trimEnd().split('\n');
  const lowered = rows.slice(0, 8000).map((row) => {
    const cut = row.lastIndexOf(',') + 1;
    return row.slice(0, cut) + row.slice(cut).toLowerCase();
  });
  return `${[header, ...lowered].join('\n')}\n`;
}

async function importInto(h: Harness, name: string, datasetGroupArn: string, type: 'Interactions' | 'Items', schema: string, csv: string): Promise<void> {
  const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: `${name}-${type}`, schema, domain: 'ECOMMERCE' }));
  const { datasetArn } = await h.personalize.send(new CreateDatasetCommand({ name: `${name}-${type}`, datasetGroupArn, schemaArn, datasetType: type }));
  await putObject(h.s3, 'poc-data', `${name}/${type}.csv`, csv);
  const { datasetImportJobArn } = await h.personalize.send(
    new CreateDatasetImportJobCommand({ jobName: `${name}-${type}`, datasetArn, dataSource: { dataLocation: `s3://poc-data/${name}/${type}.csv` }, roleArn: ROLE }),
  );
  const job = await waitFor(
    () => h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
    (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED',
    20_000,
  );
  expect(job.datasetImportJob?.failureReason).toBeUndefined();
}

const SETTLED = new Set(['ACTIVE', 'CREATE FAILED']);

async function settled(h: Harness, recommenderArn: string, done: (r: Recommender) => boolean = (r) => SETTLED.has(r.status ?? '')): Promise<Recommender> {
  const out = await waitFor(() => h.personalize.send(new DescribeRecommenderCommand({ recommenderArn })), (r) => done(r.recommender ?? {}), 30_000);
  return out.recommender ?? {};
}

/** The recommender's record as the emulator persisted it (the attrs contract serving reads). */
function storedAttrs(h: Harness, arn: string): { artifacts?: { model: string; metrics: string } } {
  const state = JSON.parse(readFileSync(join(h.stateDir, 'personalize', 'state.json'), 'utf8')) as { records: { arn: string; attrs: { artifacts?: { model: string; metrics: string } } }[] };
  return state.records.find((r) => r.arn === arn)?.attrs ?? {};
}

describe('recommenders in an ECOMMERCE dataset group', () => {
  let h: Harness;
  let groupArn: string;
  let forYou: string;

  beforeAll(async () => {
    // Stop, start and update last long enough to see their intermediate statuses.
    h = await startHarness({ durations: { update: 400 } });
    groupArn = await activeGroup(h.personalize, 'shop', 'ECOMMERCE');
    await importInto(h, 'shop', groupArn, 'Interactions', repoFile('schemas/interactions.avsc'), domainInteractions());
    await importInto(h, 'shop', groupArn, 'Items', repoFile('schemas/items.avsc'), repoFile('data/items.csv'));
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('lists the ECOMMERCE use cases with ListRecipes(domain)', async () => {
    const { recipes = [] } = await h.personalize.send(new ListRecipesCommand({ domain: 'ECOMMERCE' }));
    expect(recipes.map((r) => r.name)).toContain('aws-ecomm-recommended-for-you');
    expect(recipes.every((r) => r.domain === 'ECOMMERCE')).toBe(true);
  });

  it('trains recommended-for-you to ACTIVE with model metrics, the default config and its tags', async () => {
    const out = await h.personalize.send(
      new CreateRecommenderCommand({ name: 'shop-for-you', datasetGroupArn: groupArn, recipeArn: recipe('aws-ecomm-recommended-for-you'), tags: [{ tagKey: 'poc:name', tagValue: 'shop' }] }),
    );
    forYou = out.recommenderArn ?? '';
    expect(forYou).toBe('arn:aws:personalize:us-east-1:000000000000:recommender/shop-for-you');
    const done = await settled(h, forYou);
    expect(done).toMatchObject({ status: 'ACTIVE', name: 'shop-for-you', datasetGroupArn: groupArn, recipeArn: recipe('aws-ecomm-recommended-for-you'), recommenderConfig: { minRecommendationRequestsPerSecond: 1 } });
    expect(done.failureReason).toBeUndefined();
    expect(Object.keys(done.modelMetrics ?? {})).toContain('precision_at_10');
    expect(done.modelMetrics?.['coverage']).toBeGreaterThan(0);
    const { artifacts } = storedAttrs(h, forYou);
    expect(artifacts?.model).toMatch(/^recommender-models\/shop-for-you\//);
    expect(existsSync(join(h.stateDir, 'personalize', artifacts?.model ?? 'missing'))).toBe(true);
    const tags = await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: forYou }));
    expect(tags.tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
    const listed = await h.personalize.send(new ListRecommendersCommand({ datasetGroupArn: groupArn }));
    expect(listed.recommenders?.map((r) => r.recommenderArn)).toContain(forYou);
  }, 40_000);

  it('matches the View event type whatever its case, and fails Purchase use cases on too few purchases', async () => {
    const viewed = await h.personalize.send(new CreateRecommenderCommand({ name: 'shop-viewed', datasetGroupArn: groupArn, recipeArn: recipe('aws-ecomm-customers-who-viewed-x-also-viewed') }));
    const bought = await h.personalize.send(new CreateRecommenderCommand({ name: 'shop-bought', datasetGroupArn: groupArn, recipeArn: recipe('aws-ecomm-popular-items-by-purchases') }));
    expect((await settled(h, viewed.recommenderArn ?? '')).status).toBe('ACTIVE');
    const failed = await settled(h, bought.recommenderArn ?? '');
    expect(failed.status).toBe('CREATE FAILED');
    expect(failed.failureReason).toMatch(/fewer than 1000 interactions after filtering by event type: purchase/i);
    // A failed recommender can be deleted.
    await h.personalize.send(new DeleteRecommenderCommand({ recommenderArn: bought.recommenderArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: bought.recommenderArn }))), (e) => e.name === 'ResourceNotFoundException');
  }, 60_000);

  it('refuses use cases of another domain and custom dataset groups', async () => {
    const vod = await errorOf(h.personalize.send(new CreateRecommenderCommand({ name: 'shop-vod', datasetGroupArn: groupArn, recipeArn: recipe('aws-vod-most-popular') })));
    expect(vod.name).toBe('InvalidInputException');
    expect(vod.message).toContain('aws-ecomm-recommended-for-you');
    const custom = await groupWithData(h.personalize, h.s3, 'custom', syntheticInteractions(1200, 40));
    const refused = await errorOf(h.personalize.send(new CreateRecommenderCommand({ name: 'custom-r', datasetGroupArn: custom.groupArn, recipeArn: recipe('aws-ecomm-recommended-for-you') })));
    expect(refused.name).toBe('InvalidInputException');
    expect(refused.message).toMatch(/not a domain dataset group/);
  }, 30_000);

  it('replaces the configuration whole on update, keeps serving the old model, and retrains on a column change', async () => {
    const before = storedAttrs(h, forYou).artifacts?.model;
    await h.personalize.send(new UpdateRecommenderCommand({ recommenderArn: forYou, recommenderConfig: { minRecommendationRequestsPerSecond: 3, itemExplorationConfig: { explorationWeight: '0.5' } } }));
    const during = (await h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou }))).recommender;
    expect(during?.status).toBe('ACTIVE');
    expect(during?.latestRecommenderUpdate?.status).toMatch(/^CREATE (PENDING|IN_PROGRESS)$/);
    expect(during?.recommenderConfig?.minRecommendationRequestsPerSecond).toBe(1);
    expect((await errorOf(h.personalize.send(new StopRecommenderCommand({ recommenderArn: forYou })))).name).toBe('ResourceInUseException');
    const updated = await settled(h, forYou, (r) => r.latestRecommenderUpdate?.status === 'ACTIVE');
    expect(updated.recommenderConfig).toEqual({ minRecommendationRequestsPerSecond: 3, itemExplorationConfig: { explorationWeight: '0.5' } });
    expect(storedAttrs(h, forYou).artifacts?.model).toBe(before);

    // Whole replacement: the exploration config goes; the excluded column retrains a new model.
    await h.personalize.send(new UpdateRecommenderCommand({ recommenderArn: forYou, recommenderConfig: { trainingDataConfig: { excludedDatasetColumns: { ITEMS: ['BRAND'] } } } }));
    const retrained = await settled(h, forYou, (r) => r.latestRecommenderUpdate?.status === 'ACTIVE');
    expect(retrained.recommenderConfig).toEqual({ minRecommendationRequestsPerSecond: 1, trainingDataConfig: { excludedDatasetColumns: { ITEMS: ['BRAND'] } } });
    const after = storedAttrs(h, forYou).artifacts?.model;
    expect(after).not.toBe(before);
    expect(existsSync(join(h.stateDir, 'personalize', after ?? 'missing'))).toBe(true);
  }, 60_000);

  it('stops to INACTIVE and starts back to ACTIVE through the documented statuses', async () => {
    await h.personalize.send(new StopRecommenderCommand({ recommenderArn: forYou }));
    const stopping = await h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou }));
    expect(stopping.recommender?.status).toMatch(/^STOP (PENDING|IN_PROGRESS)$/);
    await settled(h, forYou, (r) => r.status === 'INACTIVE');
    expect((await errorOf(h.personalize.send(new UpdateRecommenderCommand({ recommenderArn: forYou, recommenderConfig: {} })))).name).toBe('ResourceInUseException');
    expect((await errorOf(h.personalize.send(new StopRecommenderCommand({ recommenderArn: forYou })))).name).toBe('ResourceInUseException');
    await h.personalize.send(new StartRecommenderCommand({ recommenderArn: forYou }));
    const starting = await h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou }));
    expect(starting.recommender?.status).toMatch(/^START (PENDING|IN_PROGRESS)$/);
    await settled(h, forYou, (r) => r.status === 'ACTIVE');
    await h.personalize.send(new StopRecommenderCommand({ recommenderArn: forYou }));
    await settled(h, forYou, (r) => r.status === 'INACTIVE');
  }, 30_000);

  it('keeps the dataset group while recommenders exist, and deletes an INACTIVE recommender', async () => {
    const refused = await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn })));
    expect(refused.name).toBe('ResourceInUseException');
    expect(refused.message).toContain(forYou);
    await h.personalize.send(new DeleteRecommenderCommand({ recommenderArn: forYou }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou }))), (e) => e.name === 'ResourceNotFoundException');
    expect(existsSync(join(h.stateDir, 'personalize', 'recommender-models', 'shop-for-you'))).toBe(false);
  }, 30_000);
});

describe('recommenders in a VIDEO_ON_DEMAND dataset group', () => {
  let h: Harness;
  let groupArn: string;

  beforeAll(async () => {
    h = await startHarness();
    groupArn = await activeGroup(h.personalize, 'tv', 'VIDEO_ON_DEMAND');
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
    for (let i = 0; i < 1500; i++) lines.push(`u${i % 60},v${(i * 7) % 90},${1_700_000_000 + i * 3600},watch`);
    const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: 'tv-Interactions', schema: repoFile('schemas/interactions.avsc'), domain: 'VIDEO_ON_DEMAND' }));
    const { datasetArn } = await h.personalize.send(new CreateDatasetCommand({ name: 'tv-Interactions', datasetGroupArn: groupArn, schemaArn, datasetType: 'Interactions' }));
    await putObject(h.s3, 'poc-data', 'tv/interactions.csv', `${lines.join('\n')}\n`);
    const { datasetImportJobArn } = await h.personalize.send(
      new CreateDatasetImportJobCommand({ jobName: 'tv-interactions', datasetArn, dataSource: { dataLocation: 's3://poc-data/tv/interactions.csv' }, roleArn: ROLE }),
    );
    await waitFor(() => h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (r) => r.datasetImportJob?.status === 'ACTIVE', 20_000);
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('trains most-popular on lower-case watch events and trending-now on recent ones; more-like-x needs items', async () => {
    const create = async (name: string, useCase: string): Promise<Recommender> => {
      const { recommenderArn = '' } = await h.personalize.send(new CreateRecommenderCommand({ name, datasetGroupArn: groupArn, recipeArn: recipe(useCase) }));
      return settled(h, recommenderArn);
    };
    expect((await create('tv-popular', 'aws-vod-most-popular')).status).toBe('ACTIVE');
    expect((await create('tv-trending', 'aws-vod-trending-now')).status).toBe('ACTIVE');
    const like = await create('tv-like', 'aws-vod-more-like-x');
    expect(like.status).toBe('CREATE FAILED');
    expect(like.failureReason).toContain('needs an Items dataset');
    const ecomm = await errorOf(h.personalize.send(new CreateRecommenderCommand({ name: 'tv-ecomm', datasetGroupArn: groupArn, recipeArn: recipe('aws-ecomm-recommended-for-you') })));
    expect(ecomm.message).toContain('aws-vod-top-picks');
  }, 60_000);
});
