import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetPersonalizedRankingCommand, GetRecommendationsCommand, InvalidInputException } from '@aws-sdk/client-personalize-runtime';
import { startHarness, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, syntheticInteractions, train } from './personalize-solutions-helpers.ts';
import { activeCampaign, activeFilter, errorName, runtimeClients } from './runtime-helpers.ts';

/** u3's interactions in syntheticInteractions(2000, 50): row i belongs to u(i % 50), item (i*7) % 97, a buy when i % 3 == 0. */
function itemsOf(user: number, type: 'buy' | 'click'): Set<string> {
  const out = new Set<string>();
  for (let i = user; i < 2000; i += 50) if ((i % 3 === 0) === (type === 'buy')) out.add(`i${(i * 7) % 97}`);
  return out;
}

describe('Personalize Runtime against the emulator', () => {
  let h: Harness;
  let clients: ReturnType<typeof runtimeClients>;
  let groupArn = '';
  let userCampaign = '';
  let rankingCampaign = '';
  let simsCampaign = '';

  beforeAll(async () => {
    h = await startHarness();
    clients = runtimeClients(h.emu);
    ({ groupArn } = await groupWithData(h.personalize, h.s3, 'rt', syntheticInteractions(2000, 50)));
    const versions = await Promise.all(
      ['aws-user-personalization', 'aws-personalized-ranking', 'aws-sims'].map(async (name) => {
        const solutionArn = await activeSolution(h.personalize, { name: `rt-${name}`, datasetGroupArn: groupArn, recipeArn: recipe(name) });
        const version = await train(h.personalize, solutionArn, 60_000);
        expect(version.status, version.failureReason).toBe('ACTIVE');
        return version.solutionVersionArn ?? '';
      }),
    );
    const campaigns = await Promise.all(versions.map((v, i) => activeCampaign(h.personalize, `rt-campaign-${i}`, v)));
    [userCampaign = '', rankingCampaign = '', simsCampaign = ''] = campaigns;
  }, 120_000);

  afterAll(async () => {
    clients?.destroy();
    await h?.dispose();
  });

  it('recommends deterministically for a user: 25 by default, numResults otherwise', async () => {
    const first = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3' }));
    const again = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3' }));
    expect(first.itemList).toHaveLength(25);
    expect(again.itemList).toEqual(first.itemList);
    expect(first.recommendationId).toMatch(/^RID-/);
    expect(first.itemList?.every((i) => typeof i.score === 'number')).toBe(true);
    const five = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 5 }));
    expect(five.itemList?.map((i) => i.itemId)).toEqual(first.itemList?.slice(0, 5).map((i) => i.itemId));
  });

  it('a filter removes what the user bought, and only that', async () => {
    const filterArn = await activeFilter(h.personalize, 'rt-no-buys', groupArn, 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")');
    const bought = itemsOf(3, 'buy');
    expect(bought.size).toBeGreaterThan(5);
    const all = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 97 }));
    const allIds = (all.itemList ?? []).map((i) => i.itemId ?? '');
    expect(allIds.filter((id) => bought.has(id)).length).toBe(bought.size);
    const filtered = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 97, filterArn }));
    const filteredIds = (filtered.itemList ?? []).map((i) => i.itemId ?? '');
    expect(filteredIds).toEqual(allIds.filter((id) => !bought.has(id)));
    const top10 = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 10, filterArn }));
    expect(top10.itemList?.map((i) => i.itemId)).toEqual(filteredIds.slice(0, 10));
  });

  it('a parameterised INCLUDE filter needs its values', async () => {
    const filterArn = await activeFilter(h.personalize, 'rt-by-type', groupArn, 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPE)');
    const clicked = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 50, filterArn, filterValues: { TYPE: '"click"' } }));
    const ids = (clicked.itemList ?? []).map((i) => i.itemId ?? '');
    expect(ids.length).toBe(itemsOf(3, 'click').size);
    expect(ids.every((id) => itemsOf(3, 'click').has(id))).toBe(true);
    const missing = clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', filterArn }));
    await expect(missing).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('ranks the input list for the user: the same ids, reordered', async () => {
    const inputList = ['i1', 'i2', 'i3', 'i5', 'i8', 'i13', 'i21', 'unknown-item'];
    const ranked = await clients.runtime.send(new GetPersonalizedRankingCommand({ campaignArn: rankingCampaign, userId: 'u3', inputList }));
    const ids = (ranked.personalizedRanking ?? []).map((i) => i.itemId);
    expect([...ids].sort()).toEqual([...inputList].sort());
    expect(ids.at(-1)).toBe('unknown-item');
    expect(ids).not.toEqual(inputList);
    const scores = (ranked.personalizedRanking ?? []).slice(0, -1).map((i) => i.score ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('answers related items for an item, without scores and without the item itself', async () => {
    const related = await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: simsCampaign, itemId: 'i7', numResults: 10 }));
    const ids = (related.itemList ?? []).map((i) => i.itemId);
    expect(ids).toHaveLength(10);
    expect(ids).not.toContain('i7');
    expect(related.itemList?.[0]?.score).toBeUndefined();
  });

  it('names the member a request is missing or gets wrong', async () => {
    const noItem = clients.runtime.send(new GetRecommendationsCommand({ campaignArn: simsCampaign, userId: 'u3' }));
    await expect(noItem).rejects.toThrow(/itemId/);
    const noUser = clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, itemId: 'i1' }));
    await expect(noUser).rejects.toThrow(/userId/);
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', numResults: 501 })))).toBe('InvalidInputException');
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ campaignArn: rankingCampaign, userId: 'u3' })))).toBe('InvalidInputException');
    expect(await errorName(clients.runtime.send(new GetPersonalizedRankingCommand({ campaignArn: userCampaign, userId: 'u3', inputList: ['i1'] })))).toBe('InvalidInputException');
  });

  it('answers ResourceNotFoundException for an unknown campaign or filter', async () => {
    const unknown = userCampaign.replace(/campaign\/.*/, 'campaign/nope');
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ campaignArn: unknown, userId: 'u3' })))).toBe('ResourceNotFoundException');
    const noFilter = groupArn.replace(/dataset-group\/.*/, 'filter/nope');
    expect(await errorName(clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u3', filterArn: noFilter })))).toBe('ResourceNotFoundException');
  });

  it('answers a warm filtered request well under 100 ms', async () => {
    const filterArn = await activeFilter(h.personalize, 'rt-speed', groupArn, 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")');
    await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: 'u4', filterArn }));
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) await clients.runtime.send(new GetRecommendationsCommand({ campaignArn: userCampaign, userId: `u${i}`, filterArn }));
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
