import { awsName, campaignName, eventTrackerName, filterName, groupAwsName } from '../manifest/naming.ts';
import { DATASET_KEYS } from '../manifest/types.ts';
import type { CampaignSpec, DatasetGroupSpec, Manifest } from '../manifest/types.ts';
import { campaignAddress, datasetAddress, eventTrackerAddress, filterAddress, groupAddress, solutionAddress, solutionVersionAddress } from '../resources/addresses.ts';
import type { DesiredNode, Props } from '../resources/kind.ts';
import { itemExplorationConfigOf } from '../resources/recommender-config.ts';
import { compact } from '../resources/solution-config.ts';
import { protectedIf } from './graph.ts';

/** Desired `trainedOn` under the `always` retrain policy: every apply trains, so every apply redeploys. */
export const REDEPLOY_EVERY_APPLY = 'every-apply';

/**
 * The filter, event tracker and campaign nodes of one group. Filters and the tracker depend on
 * the group and its datasets. A campaign depends on its solution and on the solution's version
 * node, found among `earlier` (the nodes compiled so far): its `trainedOn` is that node's data
 * fingerprint, so a retrain plans an in-place update that runs after the new version is ready.
 * Under `retrain: manual` the campaign keeps whatever version it serves; under `always` it is
 * redeployed on every apply, as the version is retrained.
 */
export function servingNodes(manifest: Manifest, groupKey: string, group: DatasetGroupSpec, earlier: readonly DesiredNode[]): DesiredNode[] {
  const groupName = groupAwsName(manifest.name, group);
  const needsData = [groupAddress(groupKey), ...DATASET_KEYS.filter((k) => group.datasets[k] !== undefined).map((k) => datasetAddress(groupKey, k))];
  const nodes: DesiredNode[] = [];
  for (const spec of Object.values(group.filters ?? {})) {
    nodes.push({
      address: filterAddress(groupKey, spec.key),
      kind: 'filter',
      name: awsName(spec.name, filterName(manifest.name, groupKey, spec.key)),
      properties: { datasetGroup: groupName, expression: spec.expression },
      dependsOn: needsData,
      source: { ...spec.at, path: `datasetGroups.${groupKey}.filters.${spec.key}` },
      ...protectedIf(spec.protect, group.protect),
    });
  }
  const tracker = group.eventTracker;
  if (tracker !== undefined) {
    nodes.push({
      address: eventTrackerAddress(groupKey),
      kind: 'eventTracker',
      name: awsName(tracker.name, eventTrackerName(manifest.name, groupKey)),
      properties: { datasetGroup: groupName },
      dependsOn: needsData,
      source: { ...tracker.at, path: `datasetGroups.${groupKey}.eventTracker` },
      ...protectedIf(tracker.protect, group.protect),
    });
  }
  for (const spec of Object.values(group.campaigns ?? {})) nodes.push(campaignNode(manifest, groupKey, group, spec, groupName, earlier));
  return nodes;
}

function campaignNode(manifest: Manifest, groupKey: string, group: DatasetGroupSpec, spec: CampaignSpec, groupName: string, earlier: readonly DesiredNode[]): DesiredNode {
  const solution = earlier.find((n) => n.address === solutionAddress(groupKey, spec.solution));
  const version = earlier.find((n) => n.address === solutionVersionAddress(groupKey, spec.solution));
  if (solution === undefined || version === undefined) throw new Error(`servingNodes: campaign ${groupKey}.${spec.key} serves undeclared solution ${spec.solution}`);
  const properties: Props = {
    solution: solution.name,
    minProvisionedTPS: spec.minProvisionedTPS,
    itemExploration: compact(itemExplorationConfigOf(spec.itemExploration)),
    enableMetadataWithRecommendations: spec.enableMetadataWithRecommendations,
    syncWithLatestSolutionVersion: spec.syncWithLatestSolutionVersion,
  };
  const policy = version.inputs?.['retrainPolicy'];
  const fingerprint = version.inputs?.['dataFingerprint'];
  if (policy === 'always') properties['trainedOn'] = REDEPLOY_EVERY_APPLY;
  else if (policy !== 'manual' && fingerprint !== undefined) properties['trainedOn'] = fingerprint;
  return {
    address: campaignAddress(groupKey, spec.key),
    kind: 'campaign',
    name: awsName(spec.name, campaignName(manifest.name, groupKey, spec.key)),
    properties,
    dependsOn: [solution.address, version.address],
    source: { ...spec.at, path: `datasetGroups.${groupKey}.campaigns.${spec.key}` },
    cost: ['provisioned-tps'],
    ...protectedIf(spec.protect, group.protect),
    inputs: { datasetGroup: groupName },
  };
}
