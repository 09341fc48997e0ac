import type { DesiredNode, KindContext, KindName, ObservedResource } from './kind.ts';

/** The observed dependency of `kind` among the node's `dependsOn` (its group, schema, upload...). */
export function dependencyOf(ctx: KindContext, node: DesiredNode, kind: KindName): ObservedResource | undefined {
  for (const address of node.dependsOn) {
    const dep = ctx.resolve(address);
    if (dep?.kind === kind) return dep;
  }
  return undefined;
}
