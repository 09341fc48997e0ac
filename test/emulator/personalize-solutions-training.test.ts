import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  ListTagsForResourceCommand,
  type SolutionVersion,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRecipe } from '../../src/engine/evaluate.ts';
import { loadCsvData } from '../../src/engine/load-csv.ts';
import { evaluationSeed } from '../../src/engine/seed.ts';
import { deserializeModel } from '../../src/engine/serialize.ts';
import { errorOf, startHarness, type Harness } from './personalize-helpers.ts';
import { activeSolution, exampleData, groupWithData, recipe, settledVersion, syntheticInteractions, train } from './personalize-solutions-helpers.ts';

const METRIC_KEYS = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
];

describe('solution versions train on the example data', () => {
  let h: Harness;
  let groupArn: string;
  const versions = new Map<string, SolutionVersion>();
  const metrics = new Map<string, Record<string, number>>();

  async function trainRecipe(name: string): Promise<SolutionVersion> {
    const solutionArn = await activeSolution(h.personalize, { name: `ex-${name}`, datasetGroupArn: groupArn, recipeArn: recipe(name) });
    const version = await train(h.personalize, solutionArn);
    versions.set(name, version);
    if (version.status === 'ACTIVE') {
      const got = await h.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn: version.solutionVersionArn }));
      expect(got.solutionVersionArn).toBe(version.solutionVersionArn);
      metrics.set(name, got.metrics ?? {});
    }
    return version;
  }

  beforeAll(async () => {
    h = await startHarness();
    groupArn = (await groupWithData(h.personalize, h.s3, 'example', exampleData())).groupArn;
  }, 30_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('trains aws-popularity-count, aws-user-personalization (with items and users) and aws-sims to ACTIVE', async () => {
    for (const name of ['aws-popularity-count', 'aws-user-personalization', 'aws-sims']) {
      const version = await trainRecipe(name);
      expect(version, name).toMatchObject({ status: 'ACTIVE', trainingMode: 'FULL', trainingType: 'MANUAL', recipeArn: recipe(name), datasetGroupArn: groupArn });
      expect(version.failureReason).toBeUndefined();
      expect(version.solutionVersionArn).toMatch(new RegExp(`:solution/ex-${name}/[0-9a-f]{8}$`));
      expect(version.trainingHours).toBeGreaterThanOrEqual(0);
      expect(Object.keys(metrics.get(name) ?? {}).sort(), name).toEqual(METRIC_KEYS);
    }
  }, 60_000);

  it('reports better precision for user-personalization than for the popularity baseline', () => {
    const personalized = metrics.get('aws-user-personalization')?.precision_at_10 ?? 0;
    const popular = metrics.get('aws-popularity-count')?.precision_at_10 ?? 0;
    expect(popular).toBeGreaterThan(0);
    expect(personalized).toBeGreaterThan(popular);
    // Popularity recommends the same few items to everyone; SIMS spreads over the catalogue.
    expect(metrics.get('aws-sims')?.coverage ?? 0).toBeGreaterThan(metrics.get('aws-popularity-count')?.coverage ?? 1);
  });

  it('evaluates with evaluationSeed(data), so the metrics can be reproduced from the same data', async () => {
    const version = versions.get('aws-user-personalization');
    const loaded = await loadCsvData({
      interactions: Readable.from([readFileSync(new URL('../../data/interactions.csv', import.meta.url))]),
      items: {
        source: Readable.from([readFileSync(new URL('../../data/items.csv', import.meta.url))]),
        kinds: { CATEGORY_L1: 'categorical', CATEGORY_L2: 'categorical', BRAND: 'categorical', COLOR: 'categorical', STYLE: 'categorical', PRICE: 'numeric', CREATION_TIMESTAMP: 'numeric' },
      },
      users: { source: Readable.from([readFileSync(new URL('../../data/users.csv', import.meta.url))]), kinds: { AGE_GROUP: 'categorical', MEMBERSHIP: 'categorical', REGION: 'categorical' } },
    });
    if (!loaded.ok || version?.solutionVersionArn === undefined) throw new Error('setup');
    const local = evaluateRecipe({ recipe: 'aws-user-personalization', data: loaded.value.data, seed: evaluationSeed(loaded.value.data) });
    if (!local.ok) throw new Error(local.failure.message);
    expect(metrics.get('aws-user-personalization')?.precision_at_10).toBeCloseTo(local.value.metrics.precision_at_10, 12);
    expect(metrics.get('aws-user-personalization')?.coverage).toBeCloseTo(local.value.metrics.coverage, 12);
  });

  it('gives a second version of the same solution on the same data identical metrics', async () => {
    const first = versions.get('aws-user-personalization');
    if (first?.solutionArn === undefined) throw new Error('setup');
    const second = await train(h.personalize, first.solutionArn);
    expect(second.solutionVersionArn).not.toBe(first.solutionVersionArn);
    const got = await h.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn: second.solutionVersionArn }));
    expect(got.metrics).toEqual(metrics.get('aws-user-personalization'));
  }, 30_000);

  it('keeps the trained model beside the state, not in it', () => {
    const arn = versions.get('aws-sims')?.solutionVersionArn ?? '';
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    const model = deserializeModel(readFileSync(join(h.stateDir, 'personalize', 'models', 'ex-aws-sims', id, 'model.bin')));
    if (!model.ok) throw new Error(model.failure.message);
    expect(model.value.relatedItems('P0264', 5)).toHaveLength(5);
    expect(readFileSync(join(h.stateDir, 'personalize', 'state.json'), 'utf8')).not.toContain('precision_at_10');
  });

  it('shows the latest version on the solution and lists versions per solution', async () => {
    const version = versions.get('aws-sims');
    const { solution } = await h.personalize.send(new DescribeSolutionCommand({ solutionArn: version?.solutionArn }));
    expect(solution?.latestSolutionVersion).toMatchObject({ solutionVersionArn: version?.solutionVersionArn, status: 'ACTIVE', trainingType: 'MANUAL' });
    const listed = await h.personalize.send(new ListSolutionVersionsCommand({ solutionArn: version?.solutionArn }));
    expect(listed.solutionVersions?.map((v) => v.solutionVersionArn)).toEqual([version?.solutionVersionArn]);
    const unknown = await errorOf(h.personalize.send(new ListSolutionVersionsCommand({ solutionArn: `${version?.solutionArn ?? ''}-nope` })));
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  it('trains on one event type when the solution names it, and fails when no event has it', async () => {
    const purchases = await activeSolution(h.personalize, { name: 'ex-purchases', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count'), eventType: 'Purchase' });
    const version = await train(h.personalize, purchases);
    expect(version).toMatchObject({ status: 'ACTIVE', eventType: 'Purchase' });
    const got = await h.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn: version.solutionVersionArn }));
    expect(got.metrics?.precision_at_10).not.toBe(metrics.get('aws-popularity-count')?.precision_at_10);

    const none = await activeSolution(h.personalize, { name: 'ex-none', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count'), eventType: 'Refund' });
    expect(await train(h.personalize, none)).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Dataset has no interactions after filtering by event type: Refund.' });
  });

  it('fails with the bad hyperparameter named, and tags the version', async () => {
    const solutionArn = await activeSolution(h.personalize, {
      name: 'ex-bad-params',
      datasetGroupArn: groupArn,
      recipeArn: recipe('aws-sims'),
      solutionConfig: { algorithmHyperParameters: { popularity_discount_factor: '7' } },
    });
    const { solutionVersionArn } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn, tags: [{ tagKey: 'poc:name', tagValue: 'demo' }] }));
    const version = await settledVersion(h.personalize, solutionVersionArn ?? '');
    expect(version.status).toBe('CREATE FAILED');
    expect(version.failureReason).toContain('popularity_discount_factor');
    const tags = await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: solutionVersionArn }));
    expect(tags.tags).toEqual([{ tagKey: 'poc:name', tagValue: 'demo' }]);
    const metricsError = await errorOf(h.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn })));
    expect(metricsError.name).toBe('ResourceInUseException');
  });
});

describe('solution versions on too little data', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('fails with the documented reason when fewer than 25 users have two interactions', async () => {
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'few-users', syntheticInteractions(1200, 20));
    const solutionArn = await activeSolution(h.personalize, { name: 'few-users', datasetGroupArn: groupArn, recipeArn: recipe('aws-user-personalization') });
    const version = await train(h.personalize, solutionArn);
    expect(version).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Create failed. Dataset has fewer than 25 users with at least 2 interactions each.' });
    expect(version.trainingHours).toBeUndefined();
  });

  it('counts the minimum after the event type filter, with the documented reason', async () => {
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'filtered', syntheticInteractions(1200, 50));
    const buys = await activeSolution(h.personalize, { name: 'buys', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count'), eventType: 'buy' });
    expect(await train(h.personalize, buys)).toMatchObject({
      status: 'CREATE FAILED',
      failureReason: 'Create failed. Dataset has fewer than 1000 interactions after filtering by event type: buy.',
    });
    const all = await activeSolution(h.personalize, { name: 'all-events', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    expect((await train(h.personalize, all)).status).toBe('ACTIVE');
  });
});
