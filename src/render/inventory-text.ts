import type { DesiredGraph } from '../plan/graph.ts';
import type { LiveState } from '../plan/live.ts';

/** What exists now, one aligned line per declared resource: address, AWS name, status and the kind's note. */
export function renderInventoryText(graph: DesiredGraph, live: LiveState): string {
  const rows = graph.nodes.map((node) => {
    const observed = live.byAddress.get(node.address);
    const status = observed === undefined ? 'absent' : observed.note === undefined ? observed.status : `${observed.status} (${observed.note})`;
    return [node.address, node.name, status] as const;
  });
  const width = (i: 0 | 1): number => Math.max(...rows.map((r) => r[i].length));
  const lines = rows.map(([address, name, status]) => `  ${address.padEnd(width(0))}  ${name.padEnd(width(1))}  ${status}`);
  return `${['What exists now:', ...lines].join('\n')}\n`;
}
