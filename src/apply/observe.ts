import { error, PocError } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { indexGraph } from '../plan/graph.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { kindOf } from '../plan/kind-registry.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import type { KindContext, ObservedResource, ResourceKind } from '../resources/kind.ts';
import { runDag } from './dag.ts';

/** A kind context before the engine adds `resolve` (which it backs with what it has observed). */
export type BaseContext = Omit<KindContext, 'resolve'>;

/**
 * Reads are cheap and plan time is bounded by round trips, so observe keeps more in flight than
 * apply does (the service's read rate limits are far above this).
 */
const DEFAULT_OBSERVE_CONCURRENCY = 16;

export interface ObserveOptions {
  /** Resources observed at once; default 16. */
  readonly concurrency?: number;
}

/** A context whose `resolve` reads the given map, so kinds see their dependencies' live state. */
export function contextOver(base: BaseContext, byAddress: ReadonlyMap<string, ObservedResource | undefined>): KindContext {
  return { ...base, resolve: (address) => byAddress.get(address) };
}

/**
 * Reads the account: each declared node once its dependencies are read (a node whose parent, see
 * `ResourceKind.parents`, is absent is absent, without a call), then each registered kind's
 * tagged resources, keeping those no declared node matches. Rejects with a PocError listing every failed call.
 */
export async function observeLive(graph: DesiredGraph, kinds: KindRegistry, base: BaseContext, options: ObserveOptions = {}): Promise<LiveState> {
  const byAddress = new Map<string, ObservedResource | undefined>();
  const ctx = contextOver(base, byAddress);
  const failures: Diagnostic[] = [];
  const nodes = indexGraph(graph);
  const tasks = graph.nodes.map((node) => ({
    id: node.address,
    deps: node.dependsOn,
    run: async (): Promise<boolean> => {
      const kind = kindOf(kinds, node.kind);
      const parentAbsent = node.dependsOn.some((d) => {
        const dep = nodes.get(d);
        return dep !== undefined && byAddress.get(d) === undefined && (kind.parents === undefined || kind.parents.includes(dep.kind));
      });
      if (parentAbsent) {
        byAddress.set(node.address, undefined);
        return true;
      }
      try {
        byAddress.set(node.address, await kind.observe(ctx, node));
        return true;
      } catch (cause) {
        failures.push(error('observe-failed', `Could not read ${node.address}: ${messageOf(cause)}`, node.source ?? {}));
        return false;
      }
    },
  }));
  // Listing what carries our tags needs nothing observed above, so it runs alongside: plan time
  // is round trips, and the shared List calls are memoised per run either way.
  const registered = [...new Set(Object.values(kinds).filter((k): k is ResourceKind => k !== undefined))];
  const listing = Promise.allSettled(registered.map((k) => k.listOwned(ctx)));
  await runDag(tasks, options.concurrency ?? DEFAULT_OBSERVE_CONCURRENCY);
  const owned = await listing;
  if (failures.length > 0) throw new PocError(failures, 'service');

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

export function messageOf(cause: unknown): string {
  if (cause instanceof Error) return cause.name !== 'Error' && !cause.message.startsWith(cause.name) ? `${cause.name}: ${cause.message}` : cause.message;
  return String(cause);
}
