import { buildPlan } from '../../src/plan/plan.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { ObservedResource } from '../../src/resources/kind.ts';
import { FakeCloud, fakeRegistry, OWNER_TAGS } from '../apply/fake-cloud.ts';
import { allAbsent, liveMatching, sampleGraph, strayGroup } from './builders.ts';

export const NOW = new Date('2025-01-02T03:04:05.000Z');
export const kinds = fakeRegistry(new FakeCloud());

const base = {
  kinds,
  manifestPath: 'poc.yaml',
  manifestDigest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  pocName: 'demo',
  target: { region: 'us-east-1' },
  ownerTags: OWNER_TAGS,
  now: NOW,
  toolVersion: '0.1.0',
} as const;

/**
 * A plan with one of everything: an in-place update with a sensitive field and change-set
 * detail, a replacement forced by a field with its cascade, a prune delete, an undeclared
 * resource that cannot be deleted, and a cost mark.
 */
export function mixedPlan(): Plan {
  const graph = sampleGraph();
  const strayImport: ObservedResource = { ...strayGroup('demo-old-import'), kind: 'datasetImport', address: 'datasetImport.old' };
  const live = liveMatching(
    graph,
    { environment: { props: { retention: 7, secret: 'old' } }, 'datasetGroup.baseline': { props: { domain: 'VIDEO_ON_DEMAND' } } },
    [strayGroup(), strayImport],
  );
  const plan = buildPlan({ ...base, graph, live, prune: true });
  return {
    ...plan,
    changes: plan.changes.map((c) =>
      c.address === 'environment'
        ? { ...c, details: [{ title: 'CloudFormation change set', rows: [{ action: 'Modify', logicalId: 'DataBucket', replacement: 'False' }] }] }
        : c,
    ),
  };
}

export function createPlan(): Plan {
  const graph = sampleGraph();
  return buildPlan({ ...base, graph, live: allAbsent(graph), prune: false });
}

export function emptyPlan(): Plan {
  const graph = sampleGraph();
  return buildPlan({ ...base, graph, live: liveMatching(graph), prune: false });
}

export { base as planInputBase };
