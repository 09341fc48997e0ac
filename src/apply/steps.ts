import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { dependentsIndex, indexGraph } from '../plan/graph.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { kindOf } from '../plan/kind-registry.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { Plan, PlannedChange } from '../plan/types.ts';
import type { DesiredNode, ResourceKind } from '../resources/kind.ts';
import type { StepOp, StepRef } from './events.ts';

/** One mutating step of an apply with the steps it waits for. `node` is absent for prune deletes. */
export interface Step extends StepRef {
  readonly change: PlannedChange;
  readonly kind: ResourceKind;
  readonly node?: DesiredNode;
  readonly deps: readonly string[];
}

export function stepId(address: string, op: StepOp): string {
  return `${address}#${op}`;
}

/**
 * The plan as a DAG of steps. A create or update waits for its own delete (replacement) and for
 * the creates and updates of what it depends on. A delete waits for the deletes of its dependents
 * and, where a prune delete is involved (it has no graph edges), for every delete of a kind that
 * the service deletes earlier (`deleteOrder`).
 */
export function buildSteps(plan: Plan, graph: DesiredGraph, kinds: KindRegistry): { steps: Step[]; diagnostics: Diagnostic[] } {
  const nodes = indexGraph(graph);
  const dependents = dependentsIndex(graph);
  const diagnostics: Diagnostic[] = [];
  const raw: Omit<Step, 'deps'>[] = [];
  for (const change of plan.changes) {
    const node = nodes.get(change.address);
    const kind = kindOf(kinds, change.kind);
    for (const op of opsOf(change)) {
      if (op !== 'delete' && node === undefined) {
        diagnostics.push(error('plan-graph-mismatch', `The plan ${op}s ${change.address}, which poc.yaml no longer declares; plan again.`));
        continue;
      }
      raw.push({ id: stepId(change.address, op), address: change.address, op, change, kind, ...(node === undefined ? {} : { node }) });
    }
  }
  const ids = new Set(raw.map((s) => s.id));
  const deletes = raw.filter((s) => s.op === 'delete');
  const steps = raw.map((s): Step => {
    const deps: string[] = [];
    const add = (id: string): void => {
      if (ids.has(id) && id !== s.id && !deps.includes(id)) deps.push(id);
    };
    if (s.op === 'delete') {
      for (const dependent of dependents.get(s.address) ?? []) add(stepId(dependent, 'delete'));
      for (const other of deletes) {
        const pruneInvolved = s.node === undefined || other.node === undefined;
        if (pruneInvolved && other.kind.deleteOrder < s.kind.deleteOrder) add(other.id);
      }
    } else {
      add(stepId(s.address, 'delete'));
      for (const d of s.node?.dependsOn ?? []) {
        add(stepId(d, 'create'));
        add(stepId(d, 'update'));
      }
    }
    return { ...s, deps };
  });
  return { steps, diagnostics };
}

function opsOf(change: PlannedChange): StepOp[] {
  const [first, second] = change.actions;
  if (first === 'no-op') return [];
  return second === undefined ? [first] : [first, second];
}
