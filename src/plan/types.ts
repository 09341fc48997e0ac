import type { Diagnostic } from '../diagnostics/index.ts';
import type { CostMark, Json, KindName, Props } from '../resources/kind.ts';

/** Bumped on any incompatible change to {@link Plan}; `apply` refuses other versions. */
export const PLAN_FORMAT_VERSION = 1 as const;

/**
 * Terraform's list form: `["create"]`, `["update"]`, `["delete", "create"]` (replace: the old
 * one must go before the new one can take its name), `["delete"]`, `["no-op"]`.
 */
export type Action = 'create' | 'update' | 'delete' | 'no-op';
export type ActionList = readonly ['create'] | readonly ['update'] | readonly ['delete', 'create'] | readonly ['delete'] | readonly ['no-op'];

/** Impact of a change, worst first; a resource's impact is the worst of its fields'. */
export type Impact = 'replace' | 'delete' | 'update' | 'create' | 'no-op';

/** Why a change is planned: stable codes for tests and CI, explained in renderings. */
export type ReasonCode =
  | 'absent' // declared in poc.yaml, not in the account
  | 'field-changed' // a declared field differs from the live one
  | 'data-changed' // a data file's content hash differs from what was imported
  | 'dependency-replaced' // something it depends on is being replaced
  | 'failed-state' // it exists but is in a failed state
  | 'not-declared' // carries this POC's tag but poc.yaml does not declare it (prune)
  | 'tags-changed' // only our ownership tags differ
  | 'destroy'; // `poc destroy` deletes everything the POC owns

export interface FieldDiff {
  readonly field: string;
  readonly before: Json | undefined;
  readonly after: Json | undefined;
  /** True when this field's change is what forces the replacement. */
  readonly forcesReplacement: boolean;
  /** Rendered as `(sensitive)` instead of values. */
  readonly sensitive?: boolean;
}

/**
 * One planned change. Invariants: `actions` is `["no-op"]` exactly when `reasons` is empty;
 * a replacement names at least one field with `forcesReplacement` or the reason
 * `dependency-replaced`; `dependsOn` only names addresses present in the same plan.
 */
export interface PlannedChange {
  readonly address: string;
  readonly kind: KindName;
  readonly name: string;
  readonly actions: ActionList;
  readonly reasons: readonly ReasonCode[];
  readonly fieldDiffs: readonly FieldDiff[];
  /** The desired properties (absent for deletes). Sensitive fields are omitted. */
  readonly after?: Props;
  /** The live resource's id (ARN) when it exists. */
  readonly id?: string;
  readonly dependsOn: readonly string[];
  readonly cost: readonly CostMark[];
  readonly protect?: boolean;
  /** Extra detail from the kind, e.g. the environment's CloudFormation change set rows. */
  readonly details?: readonly { readonly title: string; readonly rows: readonly Readonly<Record<string, string>>[] }[];
  readonly source?: { readonly file: string; readonly line?: number; readonly column?: number; readonly path?: string };
}

/**
 * A resource that carries this POC's ownership tags but that poc.yaml does not declare. With
 * pruning on (and a kind that can delete) it becomes a `["delete"]` change instead; otherwise it
 * is only reported here, so reviewers and drift see it.
 */
export interface UndeclaredResource {
  readonly address: string;
  readonly kind: KindName;
  readonly name: string;
  readonly id: string;
}

/**
 * A saved plan. It records what it was computed from so `apply` can refuse it when stale:
 * `manifest.digest` (poc.yaml, schemas and data file hashes) and, per address it touches,
 * a fingerprint of the observed state (`"absent"` included). Invariants: `changes` is in a
 * topological order of `dependsOn` (creates after their dependencies, deletes before them);
 * the same inputs give the same bytes (no timestamps outside `createdAt`, sorted keys).
 */
export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly tool: { readonly name: 'personalize-poc'; readonly version: string };
  readonly createdAt: string;
  readonly pocName: string;
  readonly target: { readonly region: string; readonly endpoint?: string; readonly environment?: string };
  readonly manifest: { readonly path: string; readonly digest: string };
  /** Whether resources tagged with this POC but not declared are deleted (`not-declared`). */
  readonly prune: boolean;
  /**
   * address -> fingerprint of the observed state when planned (declared properties, tags and
   * whether it had failed; never transient status); `"absent"` when it did not exist. Covers every
   * declared address and every undeclared tagged resource.
   */
  readonly observed: Readonly<Record<string, string>>;
  /** address -> fingerprint of the desired node (name, properties, dependencies) when planned. */
  readonly desired: Readonly<Record<string, string>>;
  /** Every declared resource (no-ops included, so `dependsOn` always resolves) and every prune delete. */
  readonly changes: readonly PlannedChange[];
  /** Tagged resources poc.yaml does not declare that this plan does not delete. */
  readonly undeclared: readonly UndeclaredResource[];
  /**
   * Errors found while planning (a protected resource that would be deleted or replaced). A plan
   * with an error diagnostic is not applyable; the blocked change is a no-op in `changes`.
   */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: PlanSummary;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly noop: number;
  /** Tagged resources not declared and not deleted (see {@link Plan.undeclared}). */
  readonly undeclared: number;
  /** Changes that bill, by mark. */
  readonly cost: Readonly<Partial<Record<CostMark, number>>>;
}
