import { ListCampaignsCommand, ListEventTrackersCommand, ListFiltersCommand, type CampaignSummary, type EventTrackerSummary, type FilterSummary } from '@aws-sdk/client-personalize';
import { forget, memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import type { KindContext } from './kind.ts';
import { paginate } from './personalize-lists.ts';

// ListCampaigns, ListFilters and ListEventTrackers, paginated and memoised per run like the other lists.

const KEY_ALL_CAMPAIGNS = 'personalize:ListCampaigns';
const keyFilters = (groupArn: string): string => `personalize:ListFilters:${groupArn}`;
const keyTrackers = (groupArn: string): string => `personalize:ListEventTrackers:${groupArn}`;

/**
 * Every campaign in the account: one call that needs no parent, so finding the POC's campaigns
 * does not wait for its groups and solutions to be listed first.
 */
export function listAllCampaigns(ctx: KindContext): Promise<CampaignSummary[]> {
  return memo(ctx, KEY_ALL_CAMPAIGNS, () =>
    paginate(async (nextToken) => {
      const out = await ctx.clients.personalize.send(new ListCampaignsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
      return { items: out.campaigns, nextToken: out.nextToken };
    }),
  );
}

export function listFilters(ctx: KindContext, datasetGroupArn: string): Promise<FilterSummary[]> {
  return memo(ctx, keyFilters(datasetGroupArn), () =>
    paginate(async (nextToken) => {
      const out = await ctx.clients.personalize.send(new ListFiltersCommand({ datasetGroupArn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
      return { items: out.Filters, nextToken: out.nextToken };
    }),
  );
}

export function listEventTrackers(ctx: KindContext, datasetGroupArn: string): Promise<EventTrackerSummary[]> {
  return memo(ctx, keyTrackers(datasetGroupArn), () =>
    paginate(async (nextToken) => {
      const out = await ctx.clients.personalize.send(new ListEventTrackersCommand({ datasetGroupArn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
      return { items: out.eventTrackers, nextToken: out.nextToken };
    }),
  );
}

export const invalidateServing = {
  campaigns: (ctx: KindContext): void => forget(ctx, KEY_ALL_CAMPAIGNS),
  filters: (ctx: KindContext, groupArn: string): void => forget(ctx, keyFilters(groupArn)),
  trackers: (ctx: KindContext, groupArn: string): void => forget(ctx, keyTrackers(groupArn)),
};

/**
 * The ARN of the `type` resource named `name` in the account and region of `arn` (any
 * Personalize ARN there): campaigns, filters and groups carry only their own name in their ARN.
 */
export function arnInAccountOf(arn: string, type: 'campaign' | 'filter' | 'dataset-group', name: string): string {
  return `${arn.split(':').slice(0, 5).join(':')}:${type}/${name}`;
}
