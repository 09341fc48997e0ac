import { awsName, batchJobBase, batchJobName, dataObjectKey, filterName, groupAwsName, metricAttributionName, solutionName } from '../manifest/naming.ts';
import type { BatchJobSpec, DatasetGroupSpec, Manifest } from '../manifest/types.ts';
import {
  batchJobAddress,
  batchResultsAddress,
  ENVIRONMENT_ADDRESS,
  filterAddress,
  groupAddress,
  metricAttributionAddress,
  solutionVersionAddress,
  uploadAddress,
} from '../resources/addresses.ts';
import type { DesiredNode, Props } from '../resources/kind.ts';
import { metricsJson } from '../resources/metrics-json.ts';
import { hashJson } from './canonical-json.ts';
import { protectedIf } from './graph.ts';

const SECTIONS = [
  { section: 'batchInferenceJobs', kind: 'batchInferenceJob' },
  { section: 'batchSegmentJobs', kind: 'batchSegmentJob' },
] as const;

/**
 * The batch jobs of a group, each with its results download, and the group's metric attribution.
 * A job's name carries the hash of everything it computes from (its input's content or URI, the
 * fingerprint of the data its solution's version is trained on, its settings), so an unchanged
 * job is never run again and any change runs a new one. `before` holds the nodes compiled so far:
 * the solution version nodes (whose fingerprint a job follows) and the uploads, which a local
 * input shares when a dataset already uploads the same file.
 */
export function batchNodes(manifest: Manifest, groupKey: string, group: DatasetGroupSpec, before: readonly DesiredNode[]): DesiredNode[] {
  const nodes: DesiredNode[] = [];
  const addresses = new Set(before.map((n) => n.address));
  for (const { section, kind } of SECTIONS) {
    for (const spec of Object.values(group[section] ?? {})) {
      const path = `datasetGroups.${groupKey}.${section}.${spec.key}`;
      const solution = group.solutions?.[spec.solution];
      const versionAddress = solutionVersionAddress(groupKey, spec.solution);
      const version = before.find((n) => n.address === versionAddress);
      if (solution === undefined || version === undefined) throw new Error(`batchNodes: ${path} names unknown solution ${spec.solution}`);
      // Under `manual` the version is not retrained when data changes, so neither is the job run again.
      const trainedOn = version.inputs?.['retrainPolicy'] === 'manual' ? undefined : version.inputs?.['dataFingerprint'];
      const filterSpec = spec.filter === undefined ? undefined : group.filters?.[spec.filter];
      const filter = spec.filter === undefined ? null : awsName(filterSpec?.name, filterName(manifest.name, groupKey, spec.filter));
      const input = spec.input.kind === 'file' ? `sha256:${spec.input.sha256}` : spec.input.uri;
      const properties: Props = {
        solution: awsName(solution.name, solutionName(manifest.name, groupKey, spec.solution)),
        ...(trainedOn === undefined ? {} : { trainedOn }),
        input,
        numResults: spec.numResults ?? null,
        filter,
      };
      const contentHash = hashJson({ kind, ...properties });
      const dependsOn = [versionAddress, ENVIRONMENT_ADDRESS, ...(spec.filter === undefined ? [] : [filterAddress(groupKey, spec.filter)])];
      if (spec.input.kind === 'file') dependsOn.push(uploadNode(manifest, spec, section, addresses, nodes));
      const address = batchJobAddress(groupKey, kind, spec.key);
      nodes.push({
        address,
        kind,
        name: batchJobName(awsName(spec.name, batchJobBase(manifest.name, groupKey, spec.key)), contentHash),
        properties,
        dependsOn,
        source: { ...spec.at, path },
        ...protectedIf(spec.protect, group.protect),
        cost: ['batch-job'],
        inputs: { contentHash, ...(spec.input.kind === 's3' ? { inputUri: spec.input.uri } : {}) },
      });
      nodes.push({
        address: batchResultsAddress(address),
        kind: 'batchResults',
        name: spec.outputAsWritten,
        properties: { job: contentHash },
        dependsOn: [address],
        source: { ...manifest.source.locate(['datasetGroups', groupKey, section, spec.key, 'output']), path: `${path}.output` },
        inputs: { folder: spec.output },
      });
    }
  }
  const metrics = group.metricAttribution;
  if (metrics !== undefined) {
    nodes.push({
      address: metricAttributionAddress(groupKey),
      kind: 'metricAttribution',
      name: awsName(metrics.name, metricAttributionName(manifest.name, groupKey)),
      properties: { datasetGroup: groupAwsName(manifest.name, group), metrics: metricsJson(metrics.metrics), output: metrics.output ?? null },
      dependsOn: [groupAddress(groupKey), ENVIRONMENT_ADDRESS],
      source: { ...metrics.at, path: `datasetGroups.${groupKey}.metricAttribution` },
      ...protectedIf(metrics.protect, group.protect),
    });
  }
  return nodes;
}

/** The upload of a local input (data-upload.ts), shared with any node that uploads the same object; its address. */
function uploadNode(manifest: Manifest, spec: BatchJobSpec, section: (typeof SECTIONS)[number]['section'], addresses: Set<string>, nodes: DesiredNode[]): string {
  if (spec.input.kind !== 'file') throw new Error('uploadNode: an s3 input has no upload');
  const address = uploadAddress(spec.input.asWritten);
  if (addresses.has(address)) return address;
  addresses.add(address);
  nodes.push({
    address,
    kind: 'dataUpload',
    name: dataObjectKey(manifest.name, spec.input.sha256, spec.input.path),
    properties: { sha256: spec.input.sha256 },
    dependsOn: [ENVIRONMENT_ADDRESS],
    source: { ...manifest.source.locate(['datasetGroups', spec.group, section, spec.key, 'input']), path: `datasetGroups.${spec.group}.${section}.${spec.key}.input` },
    cost: ['storage'],
    inputs: { file: spec.input.path },
  });
  return address;
}
