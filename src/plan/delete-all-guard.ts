import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { canDelete, kindOf } from './kind-registry.ts';
import type { KindRegistry } from './kind-registry.ts';
import type { PlannedChange, UndeclaredResource } from './types.ts';

/** The flag that lets a plan delete everything the POC owns. */
export const ALLOW_DELETE_ALL_FLAG = '--allow-delete-all';

/** How many of the doomed resources the refusal names before it says "and N more". */
const NAMED = 8;

export interface DeleteAllInput {
  readonly changes: readonly PlannedChange[];
  readonly undeclared: readonly UndeclaredResource[];
  readonly kinds: KindRegistry;
  readonly pocName: string;
  /** poc.yaml, so the refusal points at the file whose content asked for it. */
  readonly manifestPath: string;
}

/**
 * Counted: resources of kinds that carry the POC's ownership tag (`supportsTags`) and that the
 * service can delete: dataset groups, datasets, solutions, campaigns and the like, which hold the
 * POC's data and models. The environment, schemas and data objects are scaffolding that an emptied
 * or renamed poc.yaml keeps declaring, so they neither count as doomed nor as survivors.
 */
function counted(kinds: KindRegistry, kind: PlannedChange['kind']): boolean {
  const k = kindOf(kinds, kind);
  return k.supportsTags && canDelete(k);
}

/**
 * A plan that deletes (`["delete"]`, i.e. prune) every counted resource that exists and keeps
 * none (a poc.yaml emptied or renamed by mistake, or the wrong `--env`) is refused: the returned
 * error names what would go and the flag that allows it. Replacements keep a resource (it is made
 * again) and are not deletions here. Undefined when the plan keeps something, or deletes nothing.
 */
export function deleteAllRefusal(input: DeleteAllInput): Diagnostic | undefined {
  const doomed = input.changes.filter((c) => c.actions.length === 1 && c.actions[0] === 'delete' && counted(input.kinds, c.kind));
  if (doomed.length === 0) return undefined;
  const kept =
    input.changes.some((c) => c.id !== undefined && !(c.actions.length === 1 && c.actions[0] === 'delete') && counted(input.kinds, c.kind)) ||
    input.undeclared.some((u) => counted(input.kinds, u.kind));
  if (kept) return undefined;
  const names = doomed.slice(0, NAMED).map((c) => c.address);
  const more = doomed.length > NAMED ? ` and ${doomed.length - NAMED} more` : '';
  return error(
    'delete-all-refused',
    `This plan would delete every resource of ${input.pocName} that exists (${doomed.length}: ${names.join(', ')}${more}) and keep none; it is refused.`,
    {
      file: input.manifestPath,
      hint: `If poc.yaml is as you mean it, pass ${ALLOW_DELETE_ALL_FLAG}; to remove the whole POC, its environment included, run poc destroy. Otherwise check poc.yaml and --env.`,
    },
  );
}
