import type { KindRegistry } from '../plan/kind-registry.ts';
import { errorName } from '../resources/errors.ts';
import type { KindName, ResourceKind } from '../resources/kind.ts';

/**
 * Kinds another dataset group may share: DeleteSchema fails with ResourceInUse while any dataset
 * in any group uses the schema, and by the time destroy reaches schemas its own datasets are gone,
 * so the user is someone else. The service's cleanup order ignores that error; destroy keeps the
 * schema and says so.
 */
const SHARED_KINDS: ReadonlySet<KindName> = new Set<KindName>(['schema']);

/** A resource destroy left in place because something outside this POC still uses it. */
export interface KeptResource {
  readonly address: string;
  readonly kind: KindName;
  readonly name: string;
  readonly reason: string;
}

/**
 * The kinds as destroy calls them: for a shared kind, a delete refused with ResourceInUse is
 * recorded in `kept` and the resource then reads as gone, so the wait ends and the steps after it
 * (the dataset group, the environment) still run.
 */
export function keepingInUse(kinds: KindRegistry, kept: KeptResource[]): KindRegistry {
  const keptIds = new Set<string>();
  const wrap = (kind: ResourceKind): ResourceKind => ({
    ...kind,
    async delete(ctx, observed) {
      try {
        await kind.delete(ctx, observed);
      } catch (err) {
        if (errorName(err) !== 'ResourceInUseException') throw err;
        keptIds.add(observed.id);
        kept.push({ address: observed.address, kind: observed.kind, name: observed.name, reason: err instanceof Error ? err.message : String(err) });
      }
    },
    async refresh(ctx, observed) {
      return keptIds.has(observed.id) ? undefined : kind.refresh(ctx, observed);
    },
  });
  const out: Partial<Record<KindName, ResourceKind>> = {};
  for (const [name, kind] of Object.entries(kinds) as [KindName, ResourceKind | undefined][]) {
    if (kind !== undefined) out[name] = SHARED_KINDS.has(name) ? wrap(kind) : kind;
  }
  return out;
}
