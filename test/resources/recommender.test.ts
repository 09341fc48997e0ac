import { DescribeRecommenderCommand, type Recommender } from '@aws-sdk/client-personalize';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.ts';
import { createClients } from '../../src/aws/clients.ts';
import type { KindContext } from '../../src/resources/kind.ts';
import { recommenderKind, recommenderPropertiesOf } from '../../src/resources/recommender.ts';
import { MANAGED_BY, TAG_MANAGED_BY, TAG_POC_NAME } from '../../src/resources/tags.ts';
import { recommenderProperties } from '../../src/resources/recommender-config.ts';
import { copyEcommerceExample } from '../cli/ecommerce-example.ts';
import { useEmulatedPoc } from '../cli/harness.ts';

describe('recommender properties', () => {
  const spec = { key: 'for-you', group: 'shop', recipe: 'aws-ecomm-recommended-for-you', recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you', minRequestsPerSecond: 1, enableMetadataWithRecommendations: false, stopped: false, protect: false, at: { file: 'poc.yaml', line: 1, column: 1 } };
  const described = (config: Recommender['recommenderConfig'], status = 'ACTIVE'): Recommender => ({
    name: 'shop-poc-shop-for-you',
    datasetGroupArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-group/shop-poc-shop',
    recipeArn: spec.recipeArn,
    status,
    ...(config === undefined ? {} : { recommenderConfig: config }),
  });
  const desired = (extra: Partial<typeof spec> & { itemExploration?: { weight?: number; itemAgeCutOffDays?: number } } = {}) => ({ datasetGroup: 'shop-poc-shop', ...recommenderProperties({ ...spec, ...extra }) });

  it('compares equal when the service reports its exploration defaults that poc.yaml leaves out', () => {
    expect(recommenderPropertiesOf(described({ minRecommendationRequestsPerSecond: 1, itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' } }))).toEqual(desired());
    expect(recommenderPropertiesOf(described(undefined))).toEqual(desired({ itemExploration: { weight: 0.3 } }));
  });

  it('keeps exploration values that differ from the defaults, and reads INACTIVE as stopped', () => {
    expect(recommenderPropertiesOf(described({ itemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '30' } }, 'INACTIVE'))).toEqual(
      desired({ itemExploration: { weight: 0.5, itemAgeCutOffDays: 30 }, stopped: true }),
    );
  });
});

/** Recommenders through plan and apply against one emulator: no-op re-plan, in-place updates, stop/start, replacement. */
describe('recommender reconciliation', () => {
  const poc = useEmulatedPoc(copyEcommerceExample);
  const { cli } = poc;
  const recommenderChanges = async (): Promise<string[]> => {
    const run = await cli('plan', '--format', 'json');
    expect(run.stderr).not.toMatch(/\berror\b/);
    return (JSON.parse(run.stdout) as Plan).changes.filter((c) => c.kind === 'recommender' && c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('/')}`);
  };
  const describeNamed = async (name: string): Promise<Recommender> => {
    const arn = `arn:aws:personalize:us-east-1:000000000000:recommender/${name}`;
    return (await poc.personalize.send(new DescribeRecommenderCommand({ recommenderArn: arn }))).recommender ?? {};
  };

  beforeAll(async () => {
    expect((await cli('apply', '--yes')).code).toBe(0);
  }, 120_000);

  it('plans nothing after apply', async () => {
    expect(await recommenderChanges()).toEqual([]);
    expect((await cli('apply', '--yes')).stdout).toContain('No changes.');
  });

  it('updates the configuration in place, and marks the provisioned requests as billed', async () => {
    poc.editManifest('minRequestsPerSecond: 1, itemExploration: { weight: 0.3, itemAgeCutOffDays: 30 }', 'minRequestsPerSecond: 2, itemExploration: { weight: 0.5, itemAgeCutOffDays: 30 }');
    expect(await recommenderChanges()).toEqual(['datasetGroup.shop.recommender.for-you update']);
    const text = (await cli('plan')).stdout;
    expect(text).toContain('minRequestsPerSecond: 1 -> 2');
    expect(text).toMatch(/recommender\.for-you.*provisioned-tps/);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect((await describeNamed('shop-poc-shop-for-you')).recommenderConfig).toEqual({
      minRecommendationRequestsPerSecond: 2,
      enableMetadataWithRecommendations: false,
      itemExplorationConfig: { explorationWeight: '0.5' },
    });
    expect(await recommenderChanges()).toEqual([]);
  }, 60_000);

  it('stops and starts a recommender as an in-place update', async () => {
    poc.editManifest('also-viewed: { recipe: aws-ecomm-customers-who-viewed-x-also-viewed }', 'also-viewed: { recipe: aws-ecomm-customers-who-viewed-x-also-viewed, stopped: true }');
    expect(await recommenderChanges()).toEqual(['datasetGroup.shop.recommender.also-viewed update']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect((await describeNamed('shop-poc-shop-also-viewed')).status).toBe('INACTIVE');
    expect(await recommenderChanges()).toEqual([]);
    poc.editManifest('customers-who-viewed-x-also-viewed, stopped: true }', 'customers-who-viewed-x-also-viewed, stopped: false }');
    expect(await recommenderChanges()).toEqual(['datasetGroup.shop.recommender.also-viewed update']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect((await describeNamed('shop-poc-shop-also-viewed')).status).toBe('ACTIVE');
  }, 60_000);

  it('creates a recommender declared stopped, and stops it once trained', async () => {
    poc.editManifest('    recommenders:\n', '    recommenders:\n      best: { recipe: aws-ecomm-popular-items-by-views, stopped: true }\n');
    expect(await recommenderChanges()).toEqual(['datasetGroup.shop.recommender.best create']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect((await describeNamed('shop-poc-shop-best')).status).toBe('INACTIVE');
    expect(await recommenderChanges()).toEqual([]);
  }, 60_000);

  it('lists the recommenders this POC owns, at their addresses, for drift and prune', async () => {
    const clients = createClients({ region: 'us-east-1', endpoint: poc.emu.url, maxAttempts: 1 });
    const ctx: KindContext = { clients, pocName: 'shop-poc', region: 'us-east-1', ownerTags: { [TAG_POC_NAME]: 'shop-poc', [TAG_MANAGED_BY]: MANAGED_BY }, cache: new Map(), resolve: () => undefined };
    try {
      const owned = await recommenderKind.listOwned(ctx);
      expect(owned.map((o) => `${o.address} ${o.name} ${o.readiness}`).sort()).toEqual([
        'datasetGroup.shop.recommender.also-viewed shop-poc-shop-also-viewed ready',
        'datasetGroup.shop.recommender.best shop-poc-shop-best ready',
        'datasetGroup.shop.recommender.for-you shop-poc-shop-for-you ready',
      ]);
      expect(await recommenderKind.listOwned({ ...ctx, pocName: 'other', cache: new Map() })).toEqual([]);
    } finally {
      clients.destroy();
    }
  });

  it('replaces a recommender whose use case changes, naming the field', async () => {
    poc.editManifest('recipe: aws-ecomm-customers-who-viewed-x-also-viewed', 'recipe: aws-ecomm-popular-items-by-views');
    const change = (await poc.plan()).changes.find((c) => c.address === 'datasetGroup.shop.recommender.also-viewed');
    expect(change?.actions).toEqual(['delete', 'create']);
    expect(JSON.stringify(change)).toContain('recipe');
    expect((await cli('apply', '--yes')).code).toBe(0);
    const replaced = await describeNamed('shop-poc-shop-also-viewed');
    expect(replaced).toMatchObject({ status: 'ACTIVE', recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views' });
    expect(await recommenderChanges()).toEqual([]);
  }, 60_000);
});
