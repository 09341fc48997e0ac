import { join } from 'node:path';
import { DescribeRecommenderCommand, ListDatasetGroupsCommand, ListRecommendersCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';
import { copyEcommerceExample } from './ecommerce-example.ts';
import { personalizeClient, runCli } from './harness.ts';

describe('the ECOMMERCE example applied locally', () => {
  let dir: string;
  let emu: RunningEmulator | undefined;
  let personalize: PersonalizeClient | undefined;

  beforeAll(() => {
    dir = copyEcommerceExample();
  });
  afterAll(async () => {
    personalize?.destroy();
    await emu?.close();
  });

  it('applies with --local and leaves its recommenders ACTIVE with model metrics', async () => {
    const run = await runCli(['apply', '--local', '-f', 'poc.yaml', '--yes'], { cwd: dir });
    expect(run.stderr).not.toMatch(/\berror\b/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/datasetGroup\.shop\.recommender\.for-you\s+shop-poc-shop-for-you\s+ACTIVE/);

    // The local emulator's state, opened again as another client would see it.
    emu = await startEmulator({ stateDir: join(dir, '.poc', 'local'), durations: ZERO_DURATIONS });
    personalize = personalizeClient(emu.url);
    const group = (await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups?.find((g) => g.name === 'shop-poc-shop');
    const listed = await personalize.send(new ListRecommendersCommand({ datasetGroupArn: group?.datasetGroupArn }));
    expect(listed.recommenders?.map((r) => `${r.name ?? ''} ${r.status ?? ''}`).sort()).toEqual(['shop-poc-shop-also-viewed ACTIVE', 'shop-poc-shop-for-you ACTIVE']);
    const forYou = listed.recommenders?.find((r) => r.name === 'shop-poc-shop-for-you');
    const described = await personalize.send(new DescribeRecommenderCommand({ recommenderArn: forYou?.recommenderArn }));
    expect(described.recommender?.modelMetrics?.['precision_at_10']).toBeGreaterThan(0);
    expect(described.recommender?.recommenderConfig).toMatchObject({ minRecommendationRequestsPerSecond: 1, enableMetadataWithRecommendations: false });
  }, 120_000);
});
