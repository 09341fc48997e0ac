import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { LiveState } from '../../src/plan/live.ts';
import type { DesiredNode, ObservedResource, Props } from '../../src/resources/kind.ts';
import { OWNER_TAGS } from '../apply/fake-cloud.ts';

const TAGGED = new Set(['environment', 'datasetGroup', 'dataset', 'datasetImport']);

/** The standard small POC: environment, schema, dataset group, dataset, import. */
export function sampleGraph(patch: Partial<Record<string, Partial<DesiredNode>>> = {}): DesiredGraph {
  const nodes: DesiredNode[] = [
    { address: 'environment', kind: 'environment', name: 'demo-env', properties: { bucket: 'demo-bucket', retention: 30, secret: 's3cr3t' }, dependsOn: [], source: { file: 'poc.yaml', line: 3, column: 1, path: 'environment' } },
    { address: 'schema.interactions', kind: 'schema', name: 'demo-interactions', properties: { schema: '{"v":1}' }, dependsOn: [], source: { file: 'poc.yaml', line: 8, column: 3, path: 'schemas.interactions' } },
    { address: 'datasetGroup.baseline', kind: 'datasetGroup', name: 'demo-baseline', properties: { domain: 'ECOMMERCE' }, dependsOn: [], source: { file: 'poc.yaml', line: 12, column: 3, path: 'datasetGroups.baseline' } },
    {
      address: 'dataset.baseline.interactions',
      kind: 'dataset',
      name: 'demo-baseline-interactions',
      properties: { datasetType: 'INTERACTIONS', schema: 'demo-interactions' },
      dependsOn: ['datasetGroup.baseline', 'schema.interactions'],
      source: { file: 'poc.yaml', line: 15, column: 7, path: 'datasetGroups.baseline.datasets.interactions' },
    },
    {
      address: 'datasetImport.baseline.interactions',
      kind: 'datasetImport',
      name: 'demo-baseline-interactions-abc123',
      properties: { dataHash: 'abc123', importMode: 'FULL' },
      dependsOn: ['dataset.baseline.interactions', 'environment'],
      cost: ['data-import'],
      source: { file: 'poc.yaml', line: 17, column: 9, path: 'datasetGroups.baseline.datasets.interactions.data' },
    },
  ];
  return { nodes: nodes.map((n) => ({ ...n, ...(patch[n.address] ?? {}) })) };
}

export function observedOf(node: DesiredNode, patch: Partial<ObservedResource> & { props?: Props } = {}): ObservedResource {
  const { props, ...rest } = patch;
  return {
    address: node.address,
    kind: node.kind,
    name: node.name,
    id: `arn:fake:${node.kind}/${node.name}`,
    status: 'ACTIVE',
    readiness: 'ready',
    properties: { ...node.properties, ...(props ?? {}) },
    tags: TAGGED.has(node.kind) ? { ...OWNER_TAGS } : {},
    ...rest,
  };
}

/** Live state where everything matches the graph, then per-address overrides (undefined = absent). */
export function liveMatching(
  graph: DesiredGraph,
  overrides: Record<string, (Partial<ObservedResource> & { props?: Props }) | 'absent'> = {},
  undeclared: ObservedResource[] = [],
): LiveState {
  const byAddress = new Map<string, ObservedResource | undefined>();
  for (const node of graph.nodes) {
    const o = overrides[node.address];
    byAddress.set(node.address, o === 'absent' ? undefined : observedOf(node, o ?? {}));
  }
  return { byAddress, undeclared };
}

export function allAbsent(graph: DesiredGraph): LiveState {
  return { byAddress: new Map(graph.nodes.map((n) => [n.address, undefined])), undeclared: [] };
}

export function strayGroup(name = 'demo-old'): ObservedResource {
  return {
    address: `datasetGroup.${name}`,
    kind: 'datasetGroup',
    name,
    id: `arn:fake:datasetGroup/${name}`,
    status: 'ACTIVE',
    readiness: 'ready',
    properties: { domain: 'ECOMMERCE' },
    tags: { ...OWNER_TAGS },
  };
}
