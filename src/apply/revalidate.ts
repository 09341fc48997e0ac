import { fingerprintState } from '../plan/fingerprint.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import { checkStaleness } from '../plan/staleness.ts';
import type { StaleDifference } from '../plan/staleness.ts';
import type { Plan } from '../plan/types.ts';
import { observeLive } from './observe.ts';
import type { BaseContext, ObserveOptions } from './observe.ts';

/**
 * For `apply plans/X.json`: observes afresh and names every way the saved plan is stale. Apply
 * only when `stale` is empty, passing `live` on so the executor does not observe twice.
 */
export async function revalidatePlan(
  plan: Plan,
  graph: DesiredGraph,
  kinds: KindRegistry,
  base: BaseContext,
  manifestDigest: string,
  options: ObserveOptions = {},
): Promise<{ readonly stale: readonly StaleDifference[]; readonly live: LiveState }> {
  const live = await observeLive(graph, kinds, base, options);
  return { stale: checkStaleness(plan, { manifestDigest, ...fingerprintState(graph, live, kinds) }), live };
}
