import { CreateCampaignCommand, DeleteCampaignCommand, DescribeCampaignCommand, UpdateCampaignCommand, type Campaign, type CampaignConfig } from '@aws-sdk/client-personalize';
import { arnInAccountOf, nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { listOwnedGroups, mayOwnGroup } from './dataset-group.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt, orUndefined } from './errors.ts';
import type { DesiredNode, Json, KindContext, ObservedResource, Props, ResourceKind } from './kind.ts';
import { describeTagged, groupArnNamed, listDatasetGroups, listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness, readinessWithUpdate } from './readiness.ts';
import { invalidateServing, listAllCampaigns } from './serving-lists.ts';
import { TAG_DATA_FINGERPRINT } from './solution-version.ts';
import { solutionArnOfVersion } from './solution.ts';
import { isOwned, toServiceTags } from './tags.ts';

const LATEST = '/$LATEST';

/** itemExplorationConfig as the compiler writes it: string values, keys sorted, null when absent. */
function exploration(config: CampaignConfig | undefined): Json {
  const entries = Object.entries(config?.itemExplorationConfig ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? null : Object.fromEntries(entries);
}

/** Observed properties in the compiler's shape (compile-serving.ts); `trainedOn` is the served version's data fingerprint. */
function propertiesOf(campaign: Campaign, versionTags: Record<string, string>): Props {
  const config = campaign.campaignConfig;
  const versionArn = campaign.solutionVersionArn;
  return {
    solution: versionArn === undefined ? null : nameOfArn(versionArn.endsWith(LATEST) ? versionArn.slice(0, -LATEST.length) : solutionArnOfVersion(versionArn)),
    minProvisionedTPS: campaign.minProvisionedTPS ?? 1,
    itemExploration: exploration(config),
    enableMetadataWithRecommendations: config?.enableMetadataWithRecommendations ?? false,
    syncWithLatestSolutionVersion: config?.syncWithLatestSolutionVersion ?? false,
    trainedOn: versionTags[TAG_DATA_FINGERPRINT] ?? null,
  };
}

async function describe(ctx: KindContext, address: string, campaignArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, campaignArn, ctx.clients.personalize.send(new DescribeCampaignCommand({ campaignArn }), signalOf(ctx)), tags);
  const campaign = described?.campaign;
  if (campaign === undefined) return undefined;
  const versionArn = campaign.solutionVersionArn;
  const versionTags = versionArn === undefined || versionArn.endsWith(LATEST) ? {} : ((await orUndefined(listTags(ctx, versionArn))) ?? {});
  // A failed update leaves the old deployment serving.
  const { status, readiness, failureReason } = readinessWithUpdate(campaign.status ?? 'UNKNOWN', campaign.latestCampaignUpdate, 'UpdateCampaign', campaign.failureReason);
  return {
    address,
    kind: 'campaign',
    name: campaign.name ?? '',
    id: campaign.campaignArn ?? '',
    status,
    readiness,
    ...(failureReason === undefined ? {} : { failureReason }),
    properties: propertiesOf(campaign, versionTags),
    tags: liveTags,
  };
}

function campaignConfigOf(props: Props): CampaignConfig {
  const explore = props['itemExploration'];
  return {
    ...(explore !== null && typeof explore === 'object' && !Array.isArray(explore) ? { itemExplorationConfig: explore as Record<string, string> } : {}),
    enableMetadataWithRecommendations: props['enableMetadataWithRecommendations'] === true,
    syncWithLatestSolutionVersion: props['syncWithLatestSolutionVersion'] === true,
  };
}

/**
 * What to deploy: with `syncWithLatestSolutionVersion` the service wants `{solutionArn}/$LATEST`;
 * otherwise the newest version poc.yaml trained (the version node, as apply left it).
 */
function versionToDeploy(ctx: KindContext, node: DesiredNode): string {
  const solution = dependencyOf(ctx, node, 'solution');
  if (node.properties['syncWithLatestSolutionVersion'] === true && solution !== undefined) return `${solution.id}${LATEST}`;
  const version = dependencyOf(ctx, node, 'solutionVersion');
  if (version !== undefined && version.readiness === 'ready') return version.id;
  if (solution !== undefined) return `${solution.id}${LATEST}`;
  throw new Error(`campaign ${node.name} needs its solution and a trained version first`);
}

const tps = (props: Props): number => (typeof props['minProvisionedTPS'] === 'number' ? props['minProvisionedTPS'] : 1);

/**
 * A campaign, at `datasetGroup.<g>.campaign.<c>`, named `<poc>-<g>-<c>` (or its `name:`). Its
 * solution is fixed (a change replaces it); TPS, campaignConfig and the version it serves change
 * in place with UpdateCampaign. `trainedOn` is the data fingerprint of the version poc.yaml last
 * trained for the solution and, observed, that of the version the campaign serves: a retrain
 * plans an update that runs after the new version is ready and deploys it. Provisioned TPS bills.
 * Observe: DescribeCampaign on the ARN derived from the group's, ListTagsForResource on it and on
 * the version it serves.
 */
export const campaignKind: ResourceKind = {
  kind: 'campaign',
  fields: {
    solution: { update: 'replace' },
    minProvisionedTPS: { update: 'in-place' },
    itemExploration: { update: 'in-place' },
    enableMetadataWithRecommendations: { update: 'in-place' },
    syncWithLatestSolutionVersion: { update: 'in-place' },
    trainedOn: { update: 'in-place', content: 'data' },
  },
  deleteOrder: 20,
  supportsTags: true,
  // Found by its own name: a campaign whose poc.yaml solution changed (not created yet) still exists.
  parents: [],
  observeAfter: [],

  async observe(ctx, node) {
    const groupName = node.inputs?.['datasetGroup'];
    const groupArn = await groupArnNamed(ctx, groupName);
    if (groupArn === undefined) return undefined;
    return describe(ctx, node.address, arnInAccountOf(groupArn, 'campaign', node.name));
  },

  async listOwned(ctx) {
    // The account's campaigns beside the POC's group tags, then campaign tags: three round trips in
    // all. No group that may be ours (listOwnedGroups' own test) means no campaign of ours to list.
    const mayOwn = async (): Promise<boolean> => (await listDatasetGroups(ctx)).some((g) => mayOwnGroup(ctx, g.name));
    const [groups, campaigns] = await Promise.all([listOwnedGroups(ctx), mayOwn().then((yes) => (yes ? listAllCampaigns(ctx) : []))]);
    const named = campaigns.filter((c) => c.campaignArn !== undefined && c.name !== undefined);
    const tags = await Promise.all(named.map(async (c) => (await orUndefined(listTags(ctx, c.campaignArn ?? ''))) ?? {}));
    const found: ObservedResource[] = [];
    for (const [i, c] of named.entries()) {
      const own = tags[i] ?? {};
      if (c.campaignArn === undefined || c.name === undefined || !isOwned(ctx, own)) continue;
      // Named <group name>-<key>; the summary does not say which group, the longest matching name does.
      const group = groups.filter((g) => c.name?.startsWith(`${g.name}-`) === true).sort((a, b) => b.name.length - a.name.length)[0];
      const status = c.status ?? 'UNKNOWN';
      const address = group === undefined ? `campaign.${c.name}` : `${group.address}.campaign.${c.name.slice(group.name.length + 1)}`;
      found.push({ address, kind: 'campaign', name: c.name, id: c.campaignArn, status, readiness: personalizeReadiness(status), properties: {}, tags: own });
    }
    return found;
  },

  async create(ctx, node) {
    const solution = dependencyOf(ctx, node, 'solution');
    if (solution === undefined) throw new Error(`campaign ${node.name} needs its solution to exist first`);
    const campaignArn = arnInAccountOf(solution.id, 'campaign', node.name);
    await createOrAdopt(
      ctx.clients.personalize.send(
        new CreateCampaignCommand({
          name: node.name,
          solutionVersionArn: versionToDeploy(ctx, node),
          minProvisionedTPS: tps(node.properties),
          campaignConfig: campaignConfigOf(node.properties),
          tags: toServiceTags(ctx.ownerTags),
        }),
        signalOf(ctx),
      ),
    );
    invalidateServing.campaigns(ctx);
    const created = await describe(ctx, node.address, campaignArn);
    if (created === undefined) throw new Error(`campaign ${node.name} was created but cannot be found`);
    return created;
  },

  async update(ctx, node, observed, fields) {
    if (fields.some((f) => f !== 'tags')) {
      await ctx.clients.personalize.send(
        new UpdateCampaignCommand({
          campaignArn: observed.id,
          solutionVersionArn: versionToDeploy(ctx, node),
          minProvisionedTPS: tps(node.properties),
          campaignConfig: campaignConfigOf(node.properties),
        }),
        signalOf(ctx),
      );
    }
    if (fields.includes('tags')) await restoreOwnerTags(ctx, observed.id);
    return (await describe(ctx, node.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteCampaignCommand({ campaignArn: observed.id }), signalOf(ctx));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),
};
