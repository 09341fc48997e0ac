import type { DesiredNode, ObservedResource, Props, ResourceKind } from '../resources/kind.ts';
import { hashJson } from './canonical-json.ts';
import type { DesiredGraph } from './graph.ts';
import { kindOf } from './kind-registry.ts';
import type { KindRegistry } from './kind-registry.ts';
import type { LiveState } from './live.ts';

/** The fingerprint of a resource that does not exist. */
export const ABSENT = 'absent';

/**
 * What a saved plan's decisions rest on for one live resource: its name, its declared fields and
 * its tags, and whether it has failed. Status is left out on purpose: a resource moving from
 * CREATE IN_PROGRESS to ACTIVE changes nothing the plan decided.
 */
export function fingerprintObserved(kind: ResourceKind, observed: ObservedResource | undefined): string {
  if (observed === undefined) return ABSENT;
  const declared: Props = {};
  for (const field of Object.keys(kind.fields).sort()) {
    const value = observed.properties[field];
    if (value !== undefined) declared[field] = value;
  }
  return hashJson({
    kind: observed.kind,
    name: observed.name,
    properties: declared,
    tags: observed.tags,
    failed: observed.readiness === 'failed',
  });
}

/** What poc.yaml asked of one resource: a data edit changes its properties and so this. */
export function fingerprintDesired(node: DesiredNode): string {
  return hashJson({ kind: node.kind, name: node.name, properties: node.properties, dependsOn: [...node.dependsOn].sort() });
}

export interface StateFingerprints {
  readonly observed: Readonly<Record<string, string>>;
  readonly desired: Readonly<Record<string, string>>;
}

/** Fingerprints of every declared node (desired and observed) and every undeclared resource. */
export function fingerprintState(graph: DesiredGraph, live: LiveState, kinds: KindRegistry): StateFingerprints {
  const observed: Record<string, string> = {};
  const desired: Record<string, string> = {};
  for (const node of graph.nodes) {
    observed[node.address] = fingerprintObserved(kindOf(kinds, node.kind), live.byAddress.get(node.address));
    desired[node.address] = fingerprintDesired(node);
  }
  for (const res of live.undeclared) {
    observed[res.address] = fingerprintObserved(kindOf(kinds, res.kind), res);
  }
  return { observed, desired };
}
