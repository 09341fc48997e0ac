import packageJson from '../../package.json' with { type: 'json' };
import { canonicalJson } from './canonical-json.ts';
import { deleteAllRefusal } from './delete-all-guard.ts';
import { diff } from './diff.ts';
import { fingerprintState } from './fingerprint.ts';
import type { DesiredGraph } from './graph.ts';
import type { KindRegistry } from './kind-registry.ts';
import type { LiveState } from './live.ts';
import { PLAN_FORMAT_VERSION } from './types.ts';
import type { Plan, PlannedChange, PlanSummary, UndeclaredResource } from './types.ts';

export interface BuildPlanInput {
  readonly graph: DesiredGraph;
  readonly live: LiveState;
  readonly kinds: KindRegistry;
  readonly manifestPath: string;
  /** Digest of poc.yaml, its schemas and data file hashes (the manifest module computes it). */
  readonly manifestDigest: string;
  readonly pocName: string;
  readonly target: Plan['target'];
  /** The ownership tags every managed resource should carry. */
  readonly ownerTags: Readonly<Record<string, string>>;
  readonly prune: boolean;
  /** Lets a prune delete every resource the POC owns (see {@link deleteAllRefusal}); default false. */
  readonly allowDeleteAll?: boolean;
  /** The plan's only clock-dependent input. */
  readonly now: Date;
  /** Defaults to this package's version. */
  readonly toolVersion?: string;
}

/** Pure: the same input gives a plan that serializes to the same bytes. */
export function buildPlan(input: BuildPlanInput): Plan {
  const result = diff({ graph: input.graph, live: input.live, kinds: input.kinds, ownerTags: input.ownerTags, prune: input.prune });
  const fingerprints = fingerprintState(input.graph, input.live, input.kinds);
  const refusal = input.allowDeleteAll === true ? undefined : deleteAllRefusal({ ...result, kinds: input.kinds, pocName: input.pocName, manifestPath: input.manifestPath });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: { name: 'personalize-poc', version: input.toolVersion ?? packageJson.version },
    createdAt: input.now.toISOString(),
    pocName: input.pocName,
    target: input.target,
    manifest: { path: input.manifestPath, digest: input.manifestDigest },
    prune: input.prune,
    observed: fingerprints.observed,
    desired: fingerprints.desired,
    changes: result.changes,
    undeclared: result.undeclared,
    diagnostics: refusal === undefined ? result.diagnostics : [...result.diagnostics, refusal],
    summary: summarize(result.changes, result.undeclared),
  };
}

export function summarize(changes: readonly PlannedChange[], undeclared: readonly UndeclaredResource[]): PlanSummary {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  const cost: Record<string, number> = {};
  for (const c of changes) {
    const a = c.actions;
    if (a.length === 2) counts.replace += 1;
    else if (a[0] === 'no-op') counts.noop += 1;
    else counts[a[0]] += 1;
    for (const mark of c.cost) cost[mark] = (cost[mark] ?? 0) + 1;
  }
  return { ...counts, undeclared: undeclared.length, cost };
}

/** Whether a plan changes anything (an errored plan is not applyable either way). */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.actions[0] !== 'no-op');
}

/** The plan's saved form: sorted keys, two-space indent, one trailing newline. */
export function serializePlan(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}
