import { error, PocError } from '../diagnostics/index.ts';
import type { KindName, ResourceKind } from '../resources/kind.ts';

/** The kinds the engine may call, by name (`KINDS` from src/resources/registry.ts, or test fakes). */
export type KindRegistry = Readonly<Partial<Record<KindName, ResourceKind>>>;

/** The kind for a name; a missing one is a bug in how the tool was wired, not a user error. */
export function kindOf(kinds: KindRegistry, name: KindName): ResourceKind {
  const kind = kinds[name];
  if (kind === undefined) throw new PocError(error('kind-not-registered', `No resource kind is registered for "${name}".`), 'tool');
  return kind;
}

/** Whether a replacement deletes the old resource first (see DeletionSemantics). */
export function canDelete(kind: ResourceKind): boolean {
  return (kind.deletion ?? 'supported') === 'supported';
}
