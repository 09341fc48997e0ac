import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { DesiredNode } from '../resources/kind.ts';

/**
 * The resources poc.yaml asks for. Invariants (checked by {@link validateGraph}): addresses are
 * unique; every `dependsOn` names an address in the graph; there is no dependency cycle. Node
 * order is declaration order and breaks ties in {@link topologicalOrder}, so plans are stable.
 */
export interface DesiredGraph {
  readonly nodes: readonly DesiredNode[];
}

export type TopoResult =
  | { readonly ok: true; readonly order: readonly DesiredNode[] }
  | { readonly ok: false; readonly cycle: readonly string[] };

/**
 * The `protect` part of a node: set when the resource or anything above it in poc.yaml (its
 * dataset group) is protected, absent otherwise so unprotected nodes stay as they were.
 */
export function protectedIf(...declared: readonly boolean[]): { readonly protect?: true } {
  return declared.some((p) => p) ? { protect: true } : {};
}

/** address -> node. */
export function indexGraph(graph: DesiredGraph): ReadonlyMap<string, DesiredNode> {
  return new Map(graph.nodes.map((n) => [n.address, n]));
}

/** address -> addresses that depend on it directly, in declaration order. */
export function dependentsIndex(graph: DesiredGraph): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const n of graph.nodes) out.set(n.address, []);
  for (const n of graph.nodes) {
    for (const d of n.dependsOn) out.get(d)?.push(n.address);
  }
  return out;
}

/**
 * Dependencies before dependents (Kahn's algorithm); among nodes that are ready together the one
 * declared first comes first, so the order is a pure function of the graph. Dependencies on
 * addresses outside the graph are ignored here ({@link validateGraph} reports them).
 */
export function topologicalOrder(graph: DesiredGraph): TopoResult {
  const byAddress = indexGraph(graph);
  const position = new Map(graph.nodes.map((n, i) => [n.address, i]));
  const waiting = new Map<string, number>();
  for (const n of graph.nodes) waiting.set(n.address, new Set(n.dependsOn.filter((d) => byAddress.has(d))).size);
  const dependents = dependentsIndex(graph);
  const ready = graph.nodes.filter((n) => waiting.get(n.address) === 0).map((n) => n.address);
  const order: DesiredNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    const next = ready.shift() as string;
    order.push(byAddress.get(next) as DesiredNode);
    for (const dep of new Set(dependents.get(next) ?? [])) {
      const left = (waiting.get(dep) ?? 0) - 1;
      waiting.set(dep, left);
      if (left === 0) ready.push(dep);
    }
  }
  if (order.length === graph.nodes.length) return { ok: true, order };
  return { ok: false, cycle: findCycle(graph, new Set(order.map((n) => n.address))) };
}

/** One cycle among the nodes Kahn's algorithm could not order, as `a -> b -> ... -> a`. */
function findCycle(graph: DesiredGraph, ordered: ReadonlySet<string>): string[] {
  const byAddress = indexGraph(graph);
  const start = graph.nodes.find((n) => !ordered.has(n.address));
  if (start === undefined) return [];
  const path: string[] = [];
  const onPath = new Map<string, number>();
  let current: string = start.address;
  // Every unordered node has an unordered dependency, so following them must revisit a node.
  while (!onPath.has(current)) {
    onPath.set(current, path.length);
    path.push(current);
    const node = byAddress.get(current) as DesiredNode;
    current = node.dependsOn.find((d) => byAddress.has(d) && !ordered.has(d)) as string;
  }
  return [...path.slice(onPath.get(current)), current];
}

/** Duplicate addresses, dangling dependencies and cycles, all of them, as diagnostics. */
export function validateGraph(graph: DesiredGraph): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    if (seen.has(n.address)) out.push(error('graph-duplicate-address', `Two resources share the address ${n.address}.`, n.source ?? {}));
    seen.add(n.address);
  }
  for (const n of graph.nodes) {
    for (const d of n.dependsOn) {
      if (!seen.has(d)) out.push(error('graph-unknown-dependency', `${n.address} depends on ${d}, which is not declared.`, n.source ?? {}));
    }
  }
  const topo = topologicalOrder(graph);
  if (!topo.ok) out.push(error('graph-cycle', `Dependency cycle (each depends on the next): ${topo.cycle.join(' -> ')}.`));
  return out;
}
