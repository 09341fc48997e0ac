import type { BaseContext } from '../apply/observe.ts';
import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import { buildPlan, summarize } from '../plan/plan.ts';
import type { BuildPlanInput } from '../plan/plan.ts';
import type { Plan, PlannedChange } from '../plan/types.ts';
import { ENVIRONMENT_ADDRESS } from '../resources/addresses.ts';
import type { DesiredNode } from '../resources/kind.ts';
import { countObjects } from '../resources/bucket-objects.ts';
import { EMPTY_GRAPH, ownedResources } from './owned-resources.ts';

/**
 * What destroy does with the working environment, decided at plan time.
 * - `stack`: the stack is in the plan; its bucket is emptied, then the stack deleted, last.
 * - `kept`: `--keep-environment`: the stack, its bucket and everything in it stay.
 * - `existing`: poc.yaml names a bucket that is not ours; only the `objects` under `prefix`
 *   (`<poc>/`: data, journals, lock) are deleted.
 * - `none`: no environment exists (or it is already gone).
 */
export type EnvironmentTeardown =
  | { readonly mode: 'stack' }
  | { readonly mode: 'kept'; readonly name: string }
  | { readonly mode: 'existing'; readonly bucket: string; readonly prefix: string; readonly objects: number }
  | { readonly mode: 'none' };

/**
 * A destroy, planned. Invariants: every change is `["delete"]` with reason `destroy`, in the kinds'
 * delete order; `plan.diagnostics` has an error per protected resource (the plan then deletes
 * nothing); `live.undeclared` holds what the changes delete, as observed.
 */
export interface DestroyPlan {
  readonly plan: Plan;
  readonly live: LiveState;
  readonly environment: EnvironmentTeardown;
}

export type DestroyPlanOptions = Omit<BuildPlanInput, 'graph' | 'live' | 'kinds' | 'ownerTags' | 'prune' | 'allowDeleteAll'> & {
  /** `--keep-environment`. */
  readonly keepEnvironment: boolean;
};

/** Whether a destroy plan has anything left to do: a second destroy finds nothing. */
export function nothingToDestroy(d: DestroyPlan): boolean {
  return d.plan.changes.length === 0 && !(d.environment.mode === 'existing' && d.environment.objects > 0);
}

/**
 * Plans deleting everything the POC owns (see {@link ownedResources}: what prune's reads find,
 * and what poc.yaml declares that carries our tags, adopted resources included), each found
 * resource a `["delete"]` change. poc.yaml (`graph`) is also read for `protect: true` and source
 * lines: a declared, protected resource that exists blocks the whole destroy with an error naming
 * its poc.yaml line.
 */
export async function planDestroy(graph: DesiredGraph, kinds: KindRegistry, base: BaseContext, options: DestroyPlanOptions): Promise<DestroyPlan> {
  const live: LiveState = { byAddress: new Map(), undeclared: await ownedResources(graph, kinds, base) };
  const { keepEnvironment, ...planOptions } = options;
  const built = buildPlan({ ...planOptions, graph: EMPTY_GRAPH, live, kinds, ownerTags: base.ownerTags, prune: true, allowDeleteAll: true });
  const declared = new Map(graph.nodes.map((n) => [`${n.kind}\u0000${n.name}`, n]));
  const changes: PlannedChange[] = [];
  const diagnostics: Diagnostic[] = [...built.diagnostics];
  let keptStack: string | undefined;
  for (const change of built.changes) {
    if (keepEnvironment && change.kind === 'environment') {
      keptStack = change.name;
      continue;
    }
    const node = declared.get(`${change.kind}\u0000${change.name}`);
    if (node?.protect === true) diagnostics.push(protectedDiagnostic(node));
    changes.push({
      ...change,
      reasons: ['destroy'],
      ...(node?.source === undefined ? {} : { source: node.source }),
      ...(node?.protect === true ? { protect: true } : {}),
    });
  }
  const plan: Plan = { ...built, changes, diagnostics, summary: summarize(changes, built.undeclared) };
  const environment = await teardownOf(graph, base, changes, keepEnvironment, keptStack);
  return { plan, live, environment };
}

/** `keptStack`: the stack `--keep-environment` left out of the plan, if one exists. */
async function teardownOf(graph: DesiredGraph, base: BaseContext, changes: readonly PlannedChange[], keep: boolean, keptStack: string | undefined): Promise<EnvironmentTeardown> {
  const env = graph.nodes.find((n) => n.address === ENVIRONMENT_ADDRESS);
  if (env?.properties['mode'] === 'existing') {
    const bucket = env.properties['bucket'];
    if (typeof bucket !== 'string') return { mode: 'none' };
    if (keep) return { mode: 'kept', name: `s3://${bucket}/${base.pocName}/` };
    const prefix = `${base.pocName}/`;
    return { mode: 'existing', bucket, prefix, objects: await countObjects(base.clients.s3, bucket, prefix, { signal: base.signal }) };
  }
  if (keptStack !== undefined) return { mode: 'kept', name: keptStack };
  return changes.some((c) => c.kind === 'environment') ? { mode: 'stack' } : { mode: 'none' };
}

function protectedDiagnostic(node: DesiredNode): Diagnostic {
  return error('protected-resource', `${node.address} (${node.name}) is protected, so poc destroy deletes nothing.`, {
    ...(node.source ?? {}),
    hint: 'Remove `protect: true` from poc.yaml to allow destroying it (destroy reads the flag from poc.yaml; no apply is needed).',
  });
}
