import { error, PocError } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { indexGraph } from '../plan/graph.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { kindOf } from '../plan/kind-registry.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from '../resources/kind.ts';
import { runDag } from './dag.ts';
import { endpointProblem } from './endpoint-problem.ts';

/** A kind context before the engine adds `resolve` (which it backs with what it has observed). */
export type BaseContext = Omit<KindContext, 'resolve'>;

/**
 * Reads are cheap and plan time is bounded by round trips, so observe keeps more in flight than
 * apply does. Most nodes start at once and spend their first round trip waiting on the same
 * memoised List, so the bound is set to take a POC the size of the example (25 resources) in one
 * wave: at 16, the last nine wait for a slot and plan takes a round trip longer.
 */
const DEFAULT_OBSERVE_CONCURRENCY = 32;

export interface ObserveOptions {
  /** Resources observed at once; default 32. */
  readonly concurrency?: number;
}

/** A context whose `resolve` reads the given map, so kinds see their dependencies' live state. */
export function contextOver(base: BaseContext, byAddress: ReadonlyMap<string, ObservedResource | undefined>): KindContext {
  return { ...base, resolve: (address) => byAddress.get(address) };
}

/**
 * The dataset groups `graph` declares, by AWS name, added to those `base` already names (destroy
 * reads the account against an empty graph, yet must know poc.yaml's groups), for
 * {@link KindContext.declaredGroups}.
 */
export function withDeclaredGroups(base: BaseContext, graph: DesiredGraph): BaseContext {
  const groups = graph.nodes.filter((n) => n.kind === 'datasetGroup');
  if (groups.length === 0) return base;
  return { ...base, declaredGroups: new Map([...(base.declaredGroups ?? []), ...groups.map((n): [string, string] => [n.name, n.address])]) };
}

/**
 * Reads the account: each declared node once the dependencies its kind's observe reads are read
 * (`ResourceKind.observeAfter`; kinds that find their parents from the shared List calls start at
 * once), then each registered kind's tagged resources (below the groups `graph` declares too, see
 * {@link withDeclaredGroups}), keeping those no declared node matches. A node whose parent (see
 * `ResourceKind.parents`) is absent is absent. Rejects with a PocError listing every failed call.
 */
export async function observeLive(graph: DesiredGraph, kinds: KindRegistry, base: BaseContext, options: ObserveOptions = {}): Promise<LiveState> {
  const byAddress = new Map<string, ObservedResource | undefined>();
  const ctx = contextOver(withDeclaredGroups(base, graph), byAddress);
  const failures: Diagnostic[] = [];
  const causes: unknown[] = [];
  const nodes = indexGraph(graph);
  const tasks = graph.nodes.map((node) => {
    const kind = kindOf(kinds, node.kind);
    const waitsFor = node.dependsOn.filter((d) => {
      const dep = nodes.get(d);
      return dep !== undefined && (kind.observeAfter === undefined || kind.observeAfter.includes(dep.kind));
    });
    return {
      id: node.address,
      deps: waitsFor,
      run: async (): Promise<boolean> => {
        if (waitsFor.some((d) => parentAbsent(kind, nodes.get(d), byAddress))) {
          byAddress.set(node.address, undefined);
          return true;
        }
        try {
          byAddress.set(node.address, await kind.observe(ctx, node));
          return true;
        } catch (cause) {
          causes.push(cause);
          failures.push(error('observe-failed', `Could not read ${node.address}: ${messageOf(cause)}`, node.source ?? {}));
          return false;
        }
      },
    };
  });
  // Listing what carries our tags needs nothing observed above, so it runs alongside: plan time
  // is round trips, and the shared List calls are memoised per run either way.
  const registered = [...new Set(Object.values(kinds).filter((k): k is ResourceKind => k !== undefined))];
  const listing = Promise.allSettled(registered.map((k) => k.listOwned(ctx)));
  await runDag(tasks, options.concurrency ?? DEFAULT_OBSERVE_CONCURRENCY);
  const owned = await listing;
  // A wrong or unreachable endpoint fails every read the same way: say it once, not per resource.
  // `target` is optional here for test doubles of the clients, which make no calls.
  const endpoint = endpointProblem(causes, (base.clients.target as BaseContext['clients']['target'] | undefined)?.endpoint);
  if (endpoint !== undefined) throw new PocError([endpoint], 'user');
  if (failures.length > 0) throw new PocError(failures, 'service');
  absentUnderAbsentParents(graph, kinds, byAddress);

  const undeclared: ObservedResource[] = [];
  const declaredNames = new Set(graph.nodes.map((n) => `${n.kind}\u0000${n.name}`));
  const declaredIds = new Set([...byAddress.values()].flatMap((o) => (o === undefined ? [] : [o.id])));
  const usedAddresses = new Set(graph.nodes.map((n) => n.address));
  owned.forEach((result, i) => {
    if (result.status === 'rejected') {
      failures.push(error('observe-failed', `Could not list ${registered[i]?.kind ?? 'resources'} tagged with this POC: ${messageOf(result.reason)}`));
      return;
    }
    for (const res of result.value) {
      if (declaredNames.has(`${res.kind}\u0000${res.name}`) || declaredIds.has(res.id)) continue;
      const address = usedAddresses.has(res.address) ? `${res.kind}.${res.name}` : res.address;
      usedAddresses.add(address);
      undeclared.push(address === res.address ? res : { ...res, address });
    }
  });
  if (failures.length > 0) throw new PocError(failures, 'service');
  return { byAddress, undeclared };
}

function parentAbsent(kind: ResourceKind, dep: DesiredNode | undefined, byAddress: ReadonlyMap<string, ObservedResource | undefined>): boolean {
  return dep !== undefined && byAddress.get(dep.address) === undefined && (kind.parents === undefined || kind.parents.includes(dep.kind));
}

/**
 * A kind observed at once decides from the lists that its parent is missing, but a parent can
 * still read as absent on its own (gone between the List and its Describe): the node goes with it,
 * down the graph, as if it had waited for its parent.
 */
function absentUnderAbsentParents(graph: DesiredGraph, kinds: KindRegistry, byAddress: Map<string, ObservedResource | undefined>): void {
  const nodes = indexGraph(graph);
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of graph.nodes) {
      if (byAddress.get(node.address) === undefined) continue;
      const kind = kindOf(kinds, node.kind);
      if (!node.dependsOn.some((d) => parentAbsent(kind, nodes.get(d), byAddress))) continue;
      byAddress.set(node.address, undefined);
      changed = true;
    }
  }
}

export function messageOf(cause: unknown): string {
  if (cause instanceof Error) return cause.name !== 'Error' && !cause.message.startsWith(cause.name) ? `${cause.name}: ${cause.message}` : cause.message;
  return String(cause);
}
