import {
  CreateDatasetCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteDatasetGroupCommand,
  DeleteSolutionCommand,
  DescribeRecipeCommand,
  DescribeSolutionCommand,
  ListRecipesCommand,
  ListSolutionsCommand,
  ListTagsForResourceCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, SMALL_INTERACTIONS_SCHEMA, syntheticInteractions, train } from './personalize-solutions-helpers.ts';

/** A raw awsJson1_1 call, for members the SDK would not send (it drops members its model lacks). */
async function rawCall(url: string, operation: string, body: object): Promise<{ status: number; body: { __type?: string; message?: string } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { __type?: string; message?: string } };
}

describe('solutions', () => {
  let h: Harness;
  let groupArn: string;

  beforeAll(async () => {
    h = await startHarness();
    groupArn = (await groupWithData(h.personalize, h.s3, 'shop', syntheticInteractions(1200, 50))).groupArn;
  }, 20_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('creates a solution that becomes ACTIVE and describes its configuration as given', async () => {
    const solutionConfig = {
      eventValueThreshold: '0.5',
      algorithmHyperParameters: { hidden_dimension: '64' },
      trainingDataConfig: { excludedDatasetColumns: { ITEMS: ['PRICE'] } },
    };
    const { solutionArn } = await h.personalize.send(
      new CreateSolutionCommand({ name: 'shop-up', datasetGroupArn: groupArn, recipeArn: recipe('aws-user-personalization'), eventType: 'click', solutionConfig, tags: [{ tagKey: 'poc:name', tagValue: 'shop' }] }),
    );
    expect(solutionArn).toBe('arn:aws:personalize:us-east-1:000000000000:solution/shop-up');
    const { solution } = await waitFor(() => h.personalize.send(new DescribeSolutionCommand({ solutionArn })), (r) => r.solution?.status === 'ACTIVE');
    expect(solution).toMatchObject({
      name: 'shop-up',
      solutionArn,
      datasetGroupArn: groupArn,
      recipeArn: recipe('aws-user-personalization'),
      eventType: 'click',
      performHPO: false,
      performAutoML: false,
      // The service's default: training every 7 days unless turned off.
      performAutoTraining: true,
      solutionConfig,
    });
    expect(solution?.latestSolutionUpdate).toBeUndefined();
    const tags = await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: solutionArn }));
    expect(tags.tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
    const listed = await h.personalize.send(new ListSolutionsCommand({ datasetGroupArn: groupArn }));
    expect(listed.solutions?.map((s) => s.solutionArn)).toContain(solutionArn);
    expect(listed.solutions?.find((s) => s.solutionArn === solutionArn)).toMatchObject({ name: 'shop-up', status: 'ACTIVE', recipeArn: recipe('aws-user-personalization') });
    const again = await errorOf(h.personalize.send(new CreateSolutionCommand({ name: 'shop-up', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
  });

  it('updates automatic training and refuses to change anything else', async () => {
    const solutionArn = await activeSolution(h.personalize, { name: 'shop-update', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') });
    await h.personalize.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(3 days)' } } }));
    const { solution } = await h.personalize.send(new DescribeSolutionCommand({ solutionArn }));
    expect(solution).toMatchObject({ performAutoTraining: true, solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(3 days)' } } });
    expect(solution?.latestSolutionUpdate).toMatchObject({
      status: 'ACTIVE',
      performAutoTraining: true,
      solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(3 days)' } },
    });

    const recipeChange = await rawCall(h.emu.url, 'UpdateSolution', { solutionArn, recipeArn: recipe('aws-popularity-count') });
    expect(recipeChange.status).toBe(400);
    expect(recipeChange.body.__type).toBe('InvalidInputException');
    expect(recipeChange.body.message).toContain('recipeArn');
    const tooRare = await errorOf(h.personalize.send(new UpdateSolutionCommand({ solutionArn, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(31 days)' } } })));
    expect(tooRare.name).toBe('InvalidInputException');
    const notRate = await errorOf(h.personalize.send(new UpdateSolutionCommand({ solutionArn, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(2 weeks)' } } })));
    expect(notRate.name).toBe('ValidationException');
    const unchanged = await h.personalize.send(new DescribeSolutionCommand({ solutionArn }));
    expect(unchanged.solution?.recipeArn).toBe(recipe('aws-sims'));
  });

  it('refuses bad recipes and configurations', async () => {
    const create = (name: string, extra: object): Promise<{ name: string; message: string }> =>
      errorOf(h.personalize.send(new CreateSolutionCommand({ name, datasetGroupArn: groupArn, ...extra })));
    expect((await create('no-recipe', {})).name).toBe('InvalidInputException');
    expect((await create('unknown-recipe', { recipeArn: recipe('aws-magic') })).name).toBe('ResourceNotFoundException');
    const domain = await create('domain-recipe', { recipeArn: recipe('aws-ecomm-recommended-for-you') });
    expect(domain).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('CreateRecommender') });
    expect((await create('automl-and-recipe', { recipeArn: recipe('aws-sims'), performAutoML: true })).name).toBe('InvalidInputException');
    expect((await create('bad-threshold', { recipeArn: recipe('aws-sims'), solutionConfig: { eventValueThreshold: 'high' } })).name).toBe('InvalidInputException');
    expect((await create('bad-columns', { recipeArn: recipe('aws-sims'), solutionConfig: { trainingDataConfig: { excludedDatasetColumns: { PRODUCTS: ['X'] } } } })).name).toBe(
      'InvalidInputException',
    );
    const missingGroup = await errorOf(h.personalize.send(new CreateSolutionCommand({ name: 'x', datasetGroupArn: `${groupArn}-nope`, recipeArn: recipe('aws-sims') })));
    expect(missingGroup.name).toBe('ResourceNotFoundException');
  });

  it('needs an Interactions dataset and an ACTIVE import to train', async () => {
    const datasetGroupArn = await activeGroup(h.personalize, 'empty');
    const noDataset = await errorOf(h.personalize.send(new CreateSolutionCommand({ name: 'empty-sims', datasetGroupArn, recipeArn: recipe('aws-sims') })));
    expect(noDataset).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('Interactions') });

    const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: 'empty-int', schema: SMALL_INTERACTIONS_SCHEMA }));
    await h.personalize.send(new CreateDatasetCommand({ name: 'empty-int', datasetGroupArn, schemaArn, datasetType: 'Interactions' }));
    const solutionArn = await activeSolution(h.personalize, { name: 'empty-sims', datasetGroupArn, recipeArn: recipe('aws-sims') });
    const noImport = await errorOf(h.personalize.send(new CreateSolutionVersionCommand({ solutionArn })));
    expect(noImport).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('import') });
  });

  it('deletes a solution with its versions, and the group only once its solutions are gone', async () => {
    const { groupArn: group } = await groupWithData(h.personalize, h.s3, 'doomed', syntheticInteractions(1200, 50));
    const solutionArn = await activeSolution(h.personalize, { name: 'doomed-pop', datasetGroupArn: group, recipeArn: recipe('aws-popularity-count') });
    const version = await train(h.personalize, solutionArn);
    expect(version.status).toBe('ACTIVE');
    const groupInUse = await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group })));
    expect(groupInUse).toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining(solutionArn) });
    await h.personalize.send(new DeleteSolutionCommand({ solutionArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeSolutionCommand({ solutionArn }))), (e) => e.name === 'ResourceNotFoundException');
    const gone = await errorOf(h.personalize.send(new CreateSolutionVersionCommand({ solutionArn })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('allows at most 10 solutions per dataset group', async () => {
    const { groupArn: group } = await groupWithData(h.personalize, h.s3, 'crowded', syntheticInteractions(1000, 50));
    for (let i = 0; i < 10; i += 1) {
      await h.personalize.send(new CreateSolutionCommand({ name: `crowded-${i}`, datasetGroupArn: group, recipeArn: recipe('aws-sims'), performAutoTraining: false }));
    }
    const eleventh = await errorOf(h.personalize.send(new CreateSolutionCommand({ name: 'crowded-10', datasetGroupArn: group, recipeArn: recipe('aws-sims') })));
    expect(eleventh.name).toBe('LimitExceededException');
  });
});

describe('recipes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('lists the service recipes and describes their type', async () => {
    const all = await h.personalize.send(new ListRecipesCommand({ recipeProvider: 'SERVICE' }));
    const names = all.recipes?.map((r) => r.name) ?? [];
    for (const name of ['aws-user-personalization-v2', 'aws-popularity-count', 'aws-sims', 'aws-similar-items', 'aws-personalized-ranking', 'aws-trending-now', 'aws-item-affinity']) {
      expect(names).toContain(name);
    }
    const { recipe: sims } = await h.personalize.send(new DescribeRecipeCommand({ recipeArn: recipe('aws-sims') }));
    expect(sims).toMatchObject({ name: 'aws-sims', recipeArn: 'arn:aws:personalize:::recipe/aws-sims', recipeType: 'RELATED_ITEMS', status: 'ACTIVE' });
    expect(sims?.creationDateTime).toBeInstanceOf(Date);
    const { recipe: affinity } = await h.personalize.send(new DescribeRecipeCommand({ recipeArn: recipe('aws-item-affinity') }));
    expect(affinity?.recipeType).toBe('USER_SEGMENTATION');
    const unknown = await errorOf(h.personalize.send(new DescribeRecipeCommand({ recipeArn: recipe('aws-nothing') })));
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  it('filters by domain and pages', async () => {
    const vod = await h.personalize.send(new ListRecipesCommand({ domain: 'VIDEO_ON_DEMAND' }));
    expect(vod.recipes?.length).toBe(5);
    expect(vod.recipes?.every((r) => r.domain === 'VIDEO_ON_DEMAND' && r.name?.startsWith('aws-vod-'))).toBe(true);
    const first = await h.personalize.send(new ListRecipesCommand({ maxResults: 10 }));
    const second = await h.personalize.send(new ListRecipesCommand({ maxResults: 10, nextToken: first.nextToken }));
    expect(first.recipes).toHaveLength(10);
    expect(new Set([...(first.recipes ?? []), ...(second.recipes ?? [])].map((r) => r.name)).size).toBe(20);
  });
});
