import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { DesiredNode, ObservedResource, Props, ResourceKind } from '../resources/kind.ts';
import { compareNode } from './compare.ts';
import type { NodeComparison } from './compare.ts';
import { topologicalOrder, validateGraph } from './graph.ts';
import type { DesiredGraph } from './graph.ts';
import { canDelete, kindOf } from './kind-registry.ts';
import type { KindRegistry } from './kind-registry.ts';
import type { LiveState } from './live.ts';
import type { ActionList, FieldDiff, PlannedChange, ReasonCode, UndeclaredResource } from './types.ts';

export interface DiffInput {
  readonly graph: DesiredGraph;
  readonly live: LiveState;
  readonly kinds: KindRegistry;
  readonly ownerTags: Readonly<Record<string, string>>;
  readonly prune: boolean;
}

/**
 * Changes in plan order: prune deletes first (by the kinds' delete order), then every declared
 * node in topological order, no-ops included. `undeclared` lists tagged resources that are only
 * reported. `diagnostics` holds graph errors and protected resources a change would destroy.
 */
export interface DiffResult {
  readonly changes: readonly PlannedChange[];
  readonly undeclared: readonly UndeclaredResource[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What one resource needs, before protection is applied. `supersede` means the live resource is
 * given up for a new one (delete-then-create, or a fresh create where the kind cannot delete);
 * `create` is for a resource that does not exist;
 * `new` is a create-only field: a new resource beside the old one, which stays.
 */
type Impact = 'create' | 'supersede' | 'new' | 'update' | 'none';

interface Decision {
  readonly impact: Impact;
  readonly reasons: readonly ReasonCode[];
  readonly fieldDiffs: readonly FieldDiff[];
}

/**
 * The pure heart of planning: graph + live state -> changes. Per resource the worst impact wins
 * (supersede over a new resource over update over nothing); replacement cascades to the existing
 * dependents of a replaced resource, in topological order, so one pass reaches the fixed point.
 */
export function diff(input: DiffInput): DiffResult {
  const graphErrors = validateGraph(input.graph);
  const topo = topologicalOrder(input.graph);
  if (graphErrors.length > 0 || !topo.ok) return { changes: [], undeclared: [], diagnostics: graphErrors };

  const diagnostics: Diagnostic[] = [];
  const superseded = new Set<string>();
  const nodeChanges: PlannedChange[] = [];
  for (const node of topo.order) {
    const kind = kindOf(input.kinds, node.kind);
    const observed = existing(input.live.byAddress.get(node.address));
    const dependencyReplaced = node.dependsOn.some((d) => superseded.has(d));
    let decision = decide(kind, node, observed, input.ownerTags, dependencyReplaced);
    if (decision.impact === 'supersede' && node.protect === true) {
      diagnostics.push(protectedDiagnostic(node, decision, canDelete(kind)));
      decision = { impact: 'none', reasons: [], fieldDiffs: [] };
    }
    if (decision.impact === 'supersede') superseded.add(node.address);
    nodeChanges.push(toChange(kind, node, observed, decision));
  }

  const pruneDeletes: PlannedChange[] = [];
  const undeclared: UndeclaredResource[] = [];
  const byDeleteOrder = [...input.live.undeclared].sort(
    (a, b) => kindOf(input.kinds, a.kind).deleteOrder - kindOf(input.kinds, b.kind).deleteOrder || compareText(a.address, b.address),
  );
  for (const res of byDeleteOrder) {
    if (input.prune && canDelete(kindOf(input.kinds, res.kind))) {
      pruneDeletes.push({ address: res.address, kind: res.kind, name: res.name, actions: ['delete'], reasons: ['not-declared'], fieldDiffs: [], id: res.id, dependsOn: [], cost: [] });
    } else {
      undeclared.push({ address: res.address, kind: res.kind, name: res.name, id: res.id });
    }
  }
  return { changes: [...pruneDeletes, ...nodeChanges], undeclared, diagnostics };
}

/** A resource being deleted is as good as gone: the plan creates it again once it is. */
function existing(observed: ObservedResource | undefined): ObservedResource | undefined {
  return observed?.readiness === 'deleting' ? undefined : observed;
}

function decide(kind: ResourceKind, node: DesiredNode, observed: ObservedResource | undefined, ownerTags: Readonly<Record<string, string>>, dependencyReplaced: boolean): Decision {
  if (observed === undefined) {
    // `after` leaves sensitive values out; these entries say that they are set all the same.
    const hidden = Object.keys(node.properties).filter((f) => kind.fields[f]?.sensitive === true).sort();
    return { impact: 'create', reasons: ['absent'], fieldDiffs: hidden.map((field) => ({ field, before: undefined, after: undefined, forcesReplacement: false, sensitive: true })) };
  }
  const cmp = compareNode(kind, node, observed, ownerTags);
  const reasons = new Set<ReasonCode>();
  if (observed.readiness === 'failed') reasons.add('failed-state');
  if (dependencyReplaced) reasons.add('dependency-replaced');
  for (const f of cmp.fields) reasons.add(f.data ? 'data-changed' : 'field-changed');
  if (cmp.tags !== undefined) reasons.add('tags-changed');
  const impact = impactOf(cmp, reasons);
  return { impact, reasons: [...reasons], fieldDiffs: fieldDiffsOf(cmp, impact) };
}

function impactOf(cmp: NodeComparison, reasons: ReadonlySet<ReasonCode>): Impact {
  if (reasons.has('failed-state') || reasons.has('dependency-replaced')) return 'supersede';
  if (cmp.fields.some((f) => f.semantics === 'replace')) return 'supersede';
  if (cmp.fields.some((f) => f.semantics === 'create-only')) return 'new';
  if (cmp.fields.length > 0 || cmp.tags !== undefined) return 'update';
  return 'none';
}

function fieldDiffsOf(cmp: NodeComparison, impact: Impact): FieldDiff[] {
  const forcing = impact === 'supersede' ? 'replace' : impact === 'new' ? 'create-only' : undefined;
  // Sensitive values never reach the plan: the diff says only that the field changed.
  const out: FieldDiff[] = cmp.fields.map((f) =>
    f.sensitive
      ? { field: f.field, before: undefined, after: undefined, forcesReplacement: f.semantics === forcing, sensitive: true }
      : { field: f.field, before: f.before, after: f.after, forcesReplacement: f.semantics === forcing },
  );
  if (cmp.tags !== undefined) out.push({ field: 'tags', before: cmp.tags.before, after: cmp.tags.after, forcesReplacement: false });
  return out;
}

function actionsOf(kind: ResourceKind, impact: Impact): ActionList {
  switch (impact) {
    case 'supersede':
      return canDelete(kind) ? ['delete', 'create'] : ['create'];
    case 'create':
    case 'new':
      return ['create'];
    case 'update':
      return ['update'];
    case 'none':
      return ['no-op'];
  }
}

function toChange(kind: ResourceKind, node: DesiredNode, observed: ObservedResource | undefined, decision: Decision): PlannedChange {
  const actions = actionsOf(kind, decision.impact);
  const after: Props = {};
  for (const [field, value] of Object.entries(node.properties)) {
    if (kind.fields[field]?.sensitive !== true) after[field] = value;
  }
  const acting = actions[0] !== 'no-op';
  return {
    address: node.address,
    kind: node.kind,
    name: node.name,
    actions,
    reasons: decision.reasons,
    fieldDiffs: decision.fieldDiffs,
    after,
    ...(observed === undefined ? {} : { id: observed.id }),
    dependsOn: node.dependsOn,
    cost: acting ? (node.cost ?? []) : [],
    ...(node.protect === true ? { protect: true } : {}),
    ...(node.source === undefined ? {} : { source: node.source }),
  };
}

function protectedDiagnostic(node: DesiredNode, decision: Decision, deletes: boolean): Diagnostic {
  const forcing = decision.fieldDiffs.filter((f) => f.forcesReplacement).map((f) => f.field);
  const why = [
    ...(forcing.length > 0 ? [`changing ${forcing.join(', ')}`] : []),
    ...(decision.reasons.includes('failed-state') ? ['its failed state'] : []),
    ...(decision.reasons.includes('dependency-replaced') ? ['the replacement of a resource it depends on'] : []),
  ].join(' and ');
  const verb = deletes ? 'delete and re-create' : 'supersede';
  return error('protected-resource', `${node.address} is protected, but ${why} would ${verb} it; nothing is planned for it.`, {
    ...(node.source ?? {}),
    hint: 'Revert the change in poc.yaml, or remove `protect: true` to allow the replacement.',
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
