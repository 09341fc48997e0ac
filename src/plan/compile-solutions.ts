import { awsName, groupAwsName, solutionName } from '../manifest/naming.ts';
import { DATASET_KEYS } from '../manifest/types.ts';
import type { DatasetGroupSpec, DatasetKey, Manifest, SolutionSpec } from '../manifest/types.ts';
import { datasetAddress, groupAddress, importAddress, solutionAddress, solutionVersionAddress } from '../resources/addresses.ts';
import type { DesiredNode, Props } from '../resources/kind.ts';
import { solutionProperties, trainingConfigOf } from '../resources/solution-config.ts';
import { hashJson } from './canonical-json.ts';
import { protectedIf } from './graph.ts';

/**
 * What a version of this solution would be trained on: the content hash of every dataset's data
 * in the group and the solution's training settings. Equal fingerprints mean retraining would
 * learn nothing new, which is how re-running apply trains nothing.
 */
export function dataFingerprint(dataShas: Readonly<Partial<Record<DatasetKey, string>>>, properties: Props): string {
  return hashJson({ data: dataShas, training: trainingConfigOf(properties) });
}

/**
 * A solution node and its version node for each solution of a group. The solution depends on the
 * group and its datasets (the service needs them to exist); the version on the solution and the
 * group's imports, so training follows data. `dataShas` holds the sha256 of each dataset's file.
 */
export function solutionNodes(manifest: Manifest, groupKey: string, group: DatasetGroupSpec, dataShas: Readonly<Partial<Record<DatasetKey, string>>>): DesiredNode[] {
  const datasets = DATASET_KEYS.filter((k) => group.datasets[k] !== undefined);
  const nodes: DesiredNode[] = [];
  for (const spec of Object.values(group.solutions ?? {})) {
    const name = awsName(spec.name, solutionName(manifest.name, groupKey, spec.key));
    const properties: Props = { datasetGroup: groupAwsName(manifest.name, group), ...solutionProperties(spec) };
    const path = `datasetGroups.${groupKey}.solutions.${spec.key}`;
    nodes.push({
      address: solutionAddress(groupKey, spec.key),
      kind: 'solution',
      name,
      properties,
      dependsOn: [groupAddress(groupKey), ...datasets.map((k) => datasetAddress(groupKey, k))],
      source: { ...spec.at, path },
      ...protectedIf(spec.protect, group.protect),
      ...(spec.autoTraining ? { cost: ['automatic-training' as const] } : {}),
    });
    nodes.push(versionNode(groupKey, spec, name, dataFingerprint(dataShas, properties), datasets, path, groupAwsName(manifest.name, group)));
  }
  return nodes;
}

function versionNode(groupKey: string, spec: SolutionSpec, name: string, fingerprint: string, datasets: readonly DatasetKey[], path: string, groupName: string): DesiredNode {
  const properties: Props = { solution: name };
  // `manual` asks only that a version exist; `always` asks for one no live version claims.
  if (spec.retrain !== 'manual') properties['dataFingerprint'] = fingerprint;
  if (spec.retrain === 'always') properties['retrain'] = 'every-apply';
  return {
    address: solutionVersionAddress(groupKey, spec.key),
    kind: 'solutionVersion',
    name,
    properties,
    dependsOn: [solutionAddress(groupKey, spec.key), ...datasets.map((k) => importAddress(groupKey, k))],
    source: { ...spec.at, path },
    cost: ['training'],
    // The group by name: an adopted solution's name need not start with it (see solution-version.ts).
    inputs: { dataFingerprint: fingerprint, retrainPolicy: spec.retrain, datasetGroup: groupName },
  };
}
