import { describe, expect, it } from 'vitest';
import { dependentsIndex, topologicalOrder, validateGraph } from '../../src/plan/graph.ts';
import type { DesiredGraph } from '../../src/plan/graph.ts';
import type { DesiredNode } from '../../src/resources/kind.ts';

function node(address: string, dependsOn: string[] = []): DesiredNode {
  return { address, kind: 'dataset', name: address, properties: {}, dependsOn };
}

describe('desired graph', () => {
  it('orders dependencies first and keeps declaration order among peers', () => {
    const graph: DesiredGraph = { nodes: [node('c', ['b']), node('b', ['a']), node('z'), node('a')] };
    const topo = topologicalOrder(graph);
    expect(topo.ok && topo.order.map((n) => n.address)).toEqual(['z', 'a', 'b', 'c']);
  });

  it('names the cycle', () => {
    const graph: DesiredGraph = { nodes: [node('free'), node('a', ['c']), node('b', ['a']), node('c', ['b'])] };
    const topo = topologicalOrder(graph);
    expect(topo.ok).toBe(false);
    if (!topo.ok) expect(topo.cycle).toEqual(['a', 'c', 'b', 'a']);
  });

  it('reports duplicates, unknown dependencies and cycles together', () => {
    const graph: DesiredGraph = { nodes: [node('a', ['ghost']), node('a'), node('x', ['y']), node('y', ['x'])] };
    expect(validateGraph(graph).map((d) => d.code)).toEqual(['graph-duplicate-address', 'graph-unknown-dependency', 'graph-cycle']);
  });

  it('indexes dependents', () => {
    const graph: DesiredGraph = { nodes: [node('a'), node('b', ['a']), node('c', ['a'])] };
    expect(dependentsIndex(graph).get('a')).toEqual(['b', 'c']);
  });
});
