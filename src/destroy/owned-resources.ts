import { contextOver, observeLive, withDeclaredGroups } from '../apply/observe.ts';
import type { BaseContext } from '../apply/observe.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { canDelete, kindOf } from '../plan/kind-registry.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { KindName, ObservedResource } from '../resources/kind.ts';
import { isOwned } from '../resources/tags.ts';

/** Destroy reads only the account: every owned resource is "undeclared" against this graph. */
export const EMPTY_GRAPH: DesiredGraph = { nodes: [] };

/**
 * Personalize kinds the service does not tag, so ownership cannot be read off the resource: a
 * declared one is ours when its dataset group is. (The environment and data uploads are not
 * group-bound and go with the environment's teardown.)
 */
const TAGLESS_KINDS: ReadonlySet<KindName> = new Set<KindName>(['schema', 'metricAttribution']);

/**
 * Everything destroy deletes: what the kinds' `listOwned` finds (tagged, named `<poc>-...` or
 * below a group poc.yaml declares, as prune sees it), plus what poc.yaml declares and exists with
 * our ownership tags, which is how `poc import` leaves adopted resources (console names, our tags
 * once applied). A declared tagless resource (see {@link TAGLESS_KINDS}) counts when a dataset
 * group it belongs to is ours.
 * One entry per id; a listed resource keeps its listed address, a declared one takes its
 * poc.yaml address unless that is taken (then `<kind>.<name>`, as observe does).
 */
export async function ownedResources(graph: DesiredGraph, kinds: KindRegistry, base: BaseContext): Promise<ObservedResource[]> {
  // The listing knows poc.yaml's groups, so it finds what lies below adopted ones as prune does.
  const withGroups = withDeclaredGroups(base, graph);
  // Both reads share `base.cache`, so the List calls behind them are made once.
  const [listed, declared] = await Promise.all([observeLive(EMPTY_GRAPH, kinds, withGroups), observeLive(graph, kinds, withGroups)]);
  const ctx = contextOver(withGroups, declared.byAddress);
  const ours = (address: string): boolean => {
    const observed = declared.byAddress.get(address);
    return observed !== undefined && isOwned(ctx, observed.tags);
  };
  const groupsOf = groupsByNode(graph);

  const out = [...listed.undeclared];
  const ids = new Set(out.map((r) => r.id));
  const addresses = new Set(out.map((r) => r.address));
  for (const node of graph.nodes) {
    const observed = declared.byAddress.get(node.address);
    if (observed === undefined || ids.has(observed.id) || !canDelete(kindOf(kinds, node.kind))) continue;
    const owned = TAGLESS_KINDS.has(node.kind) ? (groupsOf.get(node.address) ?? []).some(ours) : ours(node.address);
    if (!owned) continue;
    const address = addresses.has(observed.address) ? `${observed.kind}.${observed.name}` : observed.address;
    ids.add(observed.id);
    addresses.add(address);
    out.push(address === observed.address ? observed : { ...observed, address });
  }
  return out;
}

/**
 * The dataset groups each declared node belongs to: the groups it depends on, and those of the
 * nodes that depend on it (a schema belongs to the groups of the datasets that use it).
 */
function groupsByNode(graph: DesiredGraph): Map<string, string[]> {
  const kindAt = new Map(graph.nodes.map((n) => [n.address, n.kind]));
  const groupDeps = (deps: readonly string[]): string[] => deps.filter((d) => kindAt.get(d) === 'datasetGroup');
  const out = new Map<string, string[]>();
  const add = (address: string, groups: readonly string[]): void => {
    out.set(address, [...(out.get(address) ?? []), ...groups]);
  };
  for (const node of graph.nodes) {
    const groups = groupDeps(node.dependsOn);
    add(node.address, groups);
    for (const dep of node.dependsOn) add(dep, groups);
  }
  return out;
}
