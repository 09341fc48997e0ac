import { ListCampaignsCommand, ListEventTrackersCommand, ListFiltersCommand, type CampaignSummary, type EventTrackerSummary, type FilterSummary } from '@aws-sdk/client-personalize';
import { forget } from './cache.ts';
import { signalOf } from './call-options.ts';
import type { KindContext } from './kind.ts';
import { memoisedList } from './personalize-lists.ts';

// ListCampaigns, ListFilters and ListEventTrackers, paginated and memoised per run like the other lists.

const KEY_ALL_CAMPAIGNS = 'personalize:ListCampaigns';
const keyFilters = (groupArn: string): string => `personalize:ListFilters:${groupArn}`;
const keyTrackers = (groupArn: string): string => `personalize:ListEventTrackers:${groupArn}`;

/**
 * Every campaign in the account: one call that needs no parent, so finding the POC's campaigns
 * does not wait for its groups and solutions to be listed first.
 */
export function listAllCampaigns(ctx: KindContext): Promise<CampaignSummary[]> {
  return memoisedList(ctx, KEY_ALL_CAMPAIGNS, async (page) => {
    const out = await ctx.clients.personalize.send(new ListCampaignsCommand(page), signalOf(ctx));
    return { items: out.campaigns, nextToken: out.nextToken };
  });
}

export function listFilters(ctx: KindContext, datasetGroupArn: string): Promise<FilterSummary[]> {
  return memoisedList(ctx, keyFilters(datasetGroupArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListFiltersCommand({ datasetGroupArn, ...page }), signalOf(ctx));
    return { items: out.Filters, nextToken: out.nextToken };
  });
}

export function listEventTrackers(ctx: KindContext, datasetGroupArn: string): Promise<EventTrackerSummary[]> {
  return memoisedList(ctx, keyTrackers(datasetGroupArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListEventTrackersCommand({ datasetGroupArn, ...page }), signalOf(ctx));
    return { items: out.eventTrackers, nextToken: out.nextToken };
  });
}

export const invalidateServing = {
  campaigns: (ctx: KindContext): void => forget(ctx, KEY_ALL_CAMPAIGNS),
  filters: (ctx: KindContext, groupArn: string): void => forget(ctx, keyFilters(groupArn)),
  trackers: (ctx: KindContext, groupArn: string): void => forget(ctx, keyTrackers(groupArn)),
};
