import { buildPlan } from '../plan/plan.ts';
import type { BuildPlanInput } from '../plan/plan.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { indexGraph } from '../plan/graph.ts';
import { kindOf } from '../plan/kind-registry.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import type { Plan, PlannedChange } from '../plan/types.ts';
import { contextOver, observeLive } from './observe.ts';
import type { BaseContext, ObserveOptions } from './observe.ts';

export type MakePlanOptions = Omit<BuildPlanInput, 'graph' | 'live' | 'kinds' | 'ownerTags'> & ObserveOptions;

/**
 * Observe, diff, and attach the kinds' extra detail (the environment's CloudFormation change set
 * rows) to the changes that act. The plan's owner tags are the context's.
 */
export async function makePlan(graph: DesiredGraph, kinds: KindRegistry, base: BaseContext, options: MakePlanOptions): Promise<{ plan: Plan; live: LiveState }> {
  const live = await observeLive(graph, kinds, base, options);
  const plan = buildPlan({ ...options, graph, live, kinds, ownerTags: base.ownerTags });
  const ctx = contextOver(base, live.byAddress);
  const nodes = indexGraph(graph);
  const changes = await Promise.all(
    plan.changes.map(async (change): Promise<PlannedChange> => {
      const kind = kindOf(kinds, change.kind);
      const node = nodes.get(change.address);
      if (change.actions[0] === 'no-op' || node === undefined || kind.describeChange === undefined) return change;
      const detail = await kind.describeChange(ctx, node, live.byAddress.get(change.address));
      return detail === undefined ? change : { ...change, details: [...(change.details ?? []), detail] };
    }),
  );
  return { plan: { ...plan, changes }, live };
}
