import { awsName, groupAwsName, recommenderName } from '../manifest/naming.ts';
import { DATASET_KEYS } from '../manifest/types.ts';
import type { DatasetGroupSpec, Manifest } from '../manifest/types.ts';
import { datasetAddress, groupAddress, importAddress, recommenderAddress } from '../resources/addresses.ts';
import type { DesiredNode } from '../resources/kind.ts';
import { recommenderProperties } from '../resources/recommender-config.ts';
import { protectedIf } from './graph.ts';

/**
 * One node per recommender of a (domain) group. Creating a recommender trains it on the group's
 * data, so it depends on the group, its datasets and their imports. Its cost mark is the billed
 * floor of requests per second it carries while running.
 */
export function recommenderNodes(manifest: Manifest, groupKey: string, group: DatasetGroupSpec): DesiredNode[] {
  const datasets = DATASET_KEYS.filter((k) => group.datasets[k] !== undefined);
  return Object.values(group.recommenders ?? {}).map((spec): DesiredNode => {
    return {
      address: recommenderAddress(groupKey, spec.key),
      kind: 'recommender',
      name: awsName(spec.name, recommenderName(manifest.name, groupKey, spec.key)),
      properties: { datasetGroup: groupAwsName(manifest.name, group), ...recommenderProperties(spec) },
      dependsOn: [groupAddress(groupKey), ...datasets.map((k) => datasetAddress(groupKey, k)), ...datasets.map((k) => importAddress(groupKey, k))],
      source: { ...spec.at, path: `datasetGroups.${groupKey}.recommenders.${spec.key}` },
      ...protectedIf(spec.protect, group.protect),
      cost: ['provisioned-tps'],
    };
  });
}
