import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateCampaignCommand,
  DeleteCampaignCommand,
  DeleteSolutionCommand,
  DescribeCampaignCommand,
  ListCampaignsCommand,
  ListTagsForResourceCommand,
  UpdateCampaignCommand,
  type Campaign,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, syntheticInteractions, train } from './personalize-solutions-helpers.ts';

/** Campaign create and update take 600 ms here, so an update can be seen in progress on a busy machine. */
const CAMPAIGN_MS = 600;

describe('campaigns', () => {
  let h: Harness;
  let groupArn: string;
  let upArn: string;
  let upVersion: string;
  let simsArn: string;
  let simsVersion: string;

  const describeCampaign = async (campaignArn: string): Promise<Campaign> => (await h.personalize.send(new DescribeCampaignCommand({ campaignArn }))).campaign ?? {};
  const active = (campaignArn: string): Promise<Campaign> =>
    waitFor(() => describeCampaign(campaignArn), (c) => c.status === 'ACTIVE' && (c.latestCampaignUpdate === undefined || c.latestCampaignUpdate.status === 'ACTIVE'));
  const create = async (name: string, solutionVersionArn: string, extra: Partial<{ minProvisionedTPS: number; campaignConfig: Campaign['campaignConfig'] }> = {}): Promise<string> => {
    const { campaignArn = '' } = await h.personalize.send(new CreateCampaignCommand({ name, solutionVersionArn, ...extra }));
    await active(campaignArn);
    return campaignArn;
  };

  beforeAll(async () => {
    h = await startHarness({ durations: { campaign: CAMPAIGN_MS } });
    groupArn = (await groupWithData(h.personalize, h.s3, 'shop', syntheticInteractions(1200, 50))).groupArn;
    upArn = await activeSolution(h.personalize, { name: 'shop-up', datasetGroupArn: groupArn, recipeArn: recipe('aws-user-personalization-v2') });
    simsArn = await activeSolution(h.personalize, { name: 'shop-sims', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') });
    upVersion = (await train(h.personalize, upArn)).solutionVersionArn ?? '';
    simsVersion = (await train(h.personalize, simsArn)).solutionVersionArn ?? '';
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('deploys an ACTIVE version: pending, then ACTIVE, with its configuration, tags and no update yet', async () => {
    const campaignConfig = { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' }, enableMetadataWithRecommendations: false };
    const { campaignArn = '' } = await h.personalize.send(
      new CreateCampaignCommand({ name: 'shop-up', solutionVersionArn: upVersion, minProvisionedTPS: 2, campaignConfig, tags: [{ tagKey: 'poc:name', tagValue: 'shop' }] }),
    );
    expect(campaignArn).toBe('arn:aws:personalize:us-east-1:000000000000:campaign/shop-up');
    expect(['CREATE PENDING', 'CREATE IN_PROGRESS']).toContain((await describeCampaign(campaignArn)).status);
    const campaign = await active(campaignArn);
    expect(campaign).toMatchObject({ name: 'shop-up', campaignArn, solutionVersionArn: upVersion, minProvisionedTPS: 2, campaignConfig });
    expect(campaign.latestCampaignUpdate).toBeUndefined();
    expect((await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: campaignArn }))).tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
    const listed = await h.personalize.send(new ListCampaignsCommand({ solutionArn: upArn }));
    expect(listed.campaigns?.map((c) => [c.name, c.status])).toEqual([['shop-up', 'ACTIVE']]);
    expect((await h.personalize.send(new ListCampaignsCommand({ solutionArn: simsArn }))).campaigns).toEqual([]);
    const again = await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-up', solutionVersionArn: simsVersion })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
  });

  it('updates in place: the old deployment serves until latestCampaignUpdate is ACTIVE', async () => {
    const campaignArn = await create('shop-update', upVersion);
    await h.personalize.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 5 }));
    const during = await describeCampaign(campaignArn);
    expect(during.status).toBe('ACTIVE');
    expect(during.minProvisionedTPS).toBe(1);
    expect(during.latestCampaignUpdate).toMatchObject({ minProvisionedTPS: 5, solutionVersionArn: upVersion });
    expect(['CREATE PENDING', 'CREATE IN_PROGRESS']).toContain(during.latestCampaignUpdate?.status);
    // One update at a time, and no delete in the middle of one.
    expect((await errorOf(h.personalize.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 6 })))).name).toBe('ResourceInUseException');
    expect((await errorOf(h.personalize.send(new DeleteCampaignCommand({ campaignArn })))).name).toBe('ResourceInUseException');
    const after = await active(campaignArn);
    expect(after.minProvisionedTPS).toBe(5);
    expect(after.latestCampaignUpdate?.status).toBe('ACTIVE');
  });

  it('deploys a retrained version with UpdateCampaign, and refuses a version of another solution', async () => {
    const campaignArn = await create('shop-retrain', simsVersion);
    const newer = (await train(h.personalize, simsArn)).solutionVersionArn ?? '';
    await h.personalize.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: newer }));
    expect((await active(campaignArn)).solutionVersionArn).toBe(newer);
    simsVersion = newer;
    const other = await errorOf(h.personalize.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: upVersion })));
    expect(other.name).toBe('InvalidInputException');
  });

  it('resolves $LATEST to the newest ACTIVE version and, with syncWithLatestSolutionVersion, follows new versions by itself', async () => {
    const needsLatest = await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-sync', solutionVersionArn: upVersion, campaignConfig: { syncWithLatestSolutionVersion: true } })));
    expect(needsLatest.name).toBe('InvalidInputException');
    expect(needsLatest.message).toContain('$LATEST');

    const pinned = await create('shop-pinned', `${upArn}/$LATEST`);
    const synced = await create('shop-sync', `${upArn}/$LATEST`, { campaignConfig: { syncWithLatestSolutionVersion: true } });
    expect((await describeCampaign(synced)).solutionVersionArn).toBe(upVersion);
    const newer = (await train(h.personalize, upArn)).solutionVersionArn ?? '';
    expect(newer).not.toBe(upVersion);
    // Without any campaign call: the runtime serves from the saved state, which must follow by itself.
    const saved = (): { arn: string; attrs: { solutionVersionArn?: string } }[] =>
      (JSON.parse(readFileSync(join(h.stateDir, 'personalize', 'state.json'), 'utf8')) as { records: { arn: string; attrs: { solutionVersionArn?: string } }[] }).records;
    await waitFor(async () => saved().find((r) => r.arn === synced)?.attrs.solutionVersionArn, (served) => served === newer);
    await waitFor(() => describeCampaign(synced), (c) => c.solutionVersionArn === newer);
    expect((await describeCampaign(pinned)).solutionVersionArn).toBe(upVersion);
    upVersion = newer;
  });

  it('refuses a version that is not ACTIVE, an unknown one, and item exploration outside User-Personalization', async () => {
    // The emulator cannot train semantic similarity (it needs item text), so its version fails.
    const affinity = await activeSolution(h.personalize, { name: 'shop-semantic', datasetGroupArn: groupArn, recipeArn: recipe('aws-semantic-similarity') });
    const failed = await train(h.personalize, affinity);
    expect(failed.status).toBe('CREATE FAILED');
    expect((await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: failed.solutionVersionArn })))).name).toBe('ResourceInUseException');
    expect((await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: `${affinity}/$LATEST` })))).name).toBe('ResourceInUseException');
    expect((await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: `${simsArn}/0badc0de` })))).name).toBe('ResourceNotFoundException');
    const exploring = await errorOf(
      h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: simsVersion, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.5' } } })),
    );
    expect(exploring).toMatchObject({ name: 'InvalidInputException' });
    expect(exploring.message).toContain('User-Personalization');
    const weight = await errorOf(
      h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: upVersion, campaignConfig: { itemExplorationConfig: { explorationWeight: '1.5' } } })),
    );
    expect(weight.name).toBe('InvalidInputException');
    const tps = await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-bad', solutionVersionArn: upVersion, minProvisionedTPS: 0 })));
    expect(tps.name).toBe('ValidationException');
    expect((await h.personalize.send(new ListCampaignsCommand({}))).campaigns?.some((c) => c.name === 'shop-bad')).toBe(false);
  });

  it('keeps its solution from being deleted until the campaign is gone', async () => {
    const campaignArn = (await h.personalize.send(new ListCampaignsCommand({ solutionArn: simsArn }))).campaigns?.[0]?.campaignArn ?? '';
    const blocked = await errorOf(h.personalize.send(new DeleteSolutionCommand({ solutionArn: simsArn })));
    expect(blocked.name).toBe('ResourceInUseException');
    expect(blocked.message).toContain(campaignArn);
    await h.personalize.send(new DeleteCampaignCommand({ campaignArn }));
    await waitFor(() => errorOf(h.personalize.send(new DescribeCampaignCommand({ campaignArn }))), (e) => e.name === 'ResourceNotFoundException');
    await h.personalize.send(new DeleteSolutionCommand({ solutionArn: simsArn }));
  });

  it('refuses a sixth campaign in one dataset group', async () => {
    const live = (await h.personalize.send(new ListCampaignsCommand({}))).campaigns ?? [];
    for (let i = live.length; i < 5; i++) await create(`shop-fill-${i}`, upVersion);
    const sixth = await errorOf(h.personalize.send(new CreateCampaignCommand({ name: 'shop-sixth', solutionVersionArn: upVersion })));
    expect(sixth.name).toBe('LimitExceededException');
  });
});

describe('campaign updates across a restart', () => {
  it('finishes an update that was in progress when the emulator stopped', async () => {
    const first = await startHarness({ durations: { campaign: 400 } });
    const groupArn = (await groupWithData(first.personalize, first.s3, 'crash', syntheticInteractions(1200, 50))).groupArn;
    const solutionArn = await activeSolution(first.personalize, { name: 'crash-pop', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    const version = (await train(first.personalize, solutionArn)).solutionVersionArn ?? '';
    const { campaignArn = '' } = await first.personalize.send(new CreateCampaignCommand({ name: 'crash-pop', solutionVersionArn: version }));
    await waitFor(() => first.personalize.send(new DescribeCampaignCommand({ campaignArn })), (r) => r.campaign?.status === 'ACTIVE');
    await first.personalize.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 7 }));
    await first.stop();

    const again = await startHarness({ stateDir: first.stateDir, durations: { campaign: 400 } });
    try {
      const { campaign } = await waitFor(() => again.personalize.send(new DescribeCampaignCommand({ campaignArn })), (r) => r.campaign?.latestCampaignUpdate?.status === 'ACTIVE');
      expect(campaign).toMatchObject({ status: 'ACTIVE', minProvisionedTPS: 7, solutionVersionArn: version });
    } finally {
      await again.dispose();
    }
  }, 60_000);
});

