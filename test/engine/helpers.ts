import { EngineDataBuilder } from '../../src/engine/data-builder.ts';
import type { EngineData } from '../../src/engine/types.ts';

/** Builds engine data from "user item [timestamp] [eventType] [value]" triples. */
export function dataOf(
  events: readonly (readonly [string, string, number?, string?, number?])[],
  meta: { items?: { columns: string[]; rows: [string, ...string[]][] }; users?: { columns: string[]; rows: [string, ...string[]][] } } = {},
): EngineData {
  const b = new EngineDataBuilder();
  events.forEach(([u, i, t, type, value], n) => b.addInteraction(u, i, t ?? n, type, value));
  if (meta.items !== undefined) {
    b.itemColumns(meta.items.columns, Object.fromEntries(meta.items.columns.map((c) => [c, 'categorical' as const])));
    for (const [id, ...values] of meta.items.rows) b.addItem(id, values);
  }
  if (meta.users !== undefined) {
    b.userColumns(meta.users.columns, Object.fromEntries(meta.users.columns.map((c) => [c, 'categorical' as const])));
    for (const [id, ...values] of meta.users.rows) b.addUser(id, values);
  }
  return b.build();
}
