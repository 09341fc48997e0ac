import type { KindName } from '../resources/kind.ts';
import { compareNode } from './compare.ts';
import type { DesiredGraph } from './graph.ts';
import { kindOf } from './kind-registry.ts';
import type { KindRegistry } from './kind-registry.ts';
import type { LiveState } from './live.ts';
import type { FieldDiff } from './types.ts';

interface FindingBase {
  readonly address: string;
  readonly resourceKind: KindName;
  readonly name: string;
}

/**
 * One way the account differs from poc.yaml. Closed union: renderers and the exit decision switch
 * on `type`. Field values of sensitive fields are never carried (`sensitive: true` instead).
 */
export type DriftFinding =
  /** Declared but absent (deleted outside poc.yaml, or never applied). */
  | (FindingBase & { readonly type: 'missing' })
  /** Declared fields whose live values differ. */
  | (FindingBase & { readonly type: 'changed'; readonly fields: readonly FieldDiff[] })
  /** The imported data's content hash differs from the data files. */
  | (FindingBase & { readonly type: 'data-changed'; readonly fields: readonly FieldDiff[] })
  /** Ownership tags missing or altered. */
  | (FindingBase & { readonly type: 'tags-changed'; readonly before: Readonly<Record<string, string>>; readonly after: Readonly<Record<string, string>> })
  /** The resource is in a failed state. */
  | (FindingBase & { readonly type: 'failed'; readonly status: string; readonly failureReason?: string })
  /** Carries this POC's tags, not declared in poc.yaml. */
  | (FindingBase & { readonly type: 'undeclared'; readonly id: string });

export type DriftFindingType = DriftFinding['type'];

/** Findings in graph order (undeclared last, by address). Empty means in sync. */
export interface DriftReport {
  readonly pocName: string;
  readonly findings: readonly DriftFinding[];
}

export interface DriftInput {
  readonly graph: DesiredGraph;
  readonly live: LiveState;
  readonly kinds: KindRegistry;
  readonly ownerTags: Readonly<Record<string, string>>;
  readonly pocName: string;
}

/** Pure: what observe found, compared with poc.yaml; never plans or applies anything. */
export function detectDrift(input: DriftInput): DriftReport {
  const findings: DriftFinding[] = [];
  for (const node of input.graph.nodes) {
    const base = { address: node.address, resourceKind: node.kind, name: node.name };
    const observed = input.live.byAddress.get(node.address);
    if (observed === undefined || observed.readiness === 'deleting') {
      findings.push({ ...base, type: 'missing' });
      continue;
    }
    if (observed.readiness === 'failed') {
      findings.push({ ...base, type: 'failed', status: observed.status, ...(observed.failureReason === undefined ? {} : { failureReason: observed.failureReason }) });
    }
    const cmp = compareNode(kindOf(input.kinds, node.kind), node, observed, input.ownerTags);
    const toDiff = (f: (typeof cmp.fields)[number]): FieldDiff =>
      f.sensitive ? { field: f.field, before: undefined, after: undefined, forcesReplacement: false, sensitive: true } : { field: f.field, before: f.before, after: f.after, forcesReplacement: false };
    const edited = cmp.fields.filter((f) => !f.data).map(toDiff);
    const data = cmp.fields.filter((f) => f.data).map(toDiff);
    if (edited.length > 0) findings.push({ ...base, type: 'changed', fields: edited });
    if (data.length > 0) findings.push({ ...base, type: 'data-changed', fields: data });
    if (cmp.tags !== undefined) findings.push({ ...base, type: 'tags-changed', before: cmp.tags.before, after: cmp.tags.after });
  }
  const undeclared = [...input.live.undeclared].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  for (const res of undeclared) {
    findings.push({ address: res.address, resourceKind: res.kind, name: res.name, type: 'undeclared', id: res.id });
  }
  return { pocName: input.pocName, findings };
}

export type DriftStatus = 'in-sync' | 'drift';

/** The CLI's exit decision: 0 in sync, 2 drift found (1 is left for errors). */
export function driftOutcome(report: DriftReport): { readonly status: DriftStatus; readonly exitCode: 0 | 2 } {
  return report.findings.length === 0 ? { status: 'in-sync', exitCode: 0 } : { status: 'drift', exitCode: 2 };
}

/** Finding counts by type, every type present (zeros included) for stable renderings. */
export function countFindings(report: DriftReport): Readonly<Record<DriftFindingType, number>> {
  const counts: Record<DriftFindingType, number> = { missing: 0, changed: 0, 'data-changed': 0, 'tags-changed': 0, failed: 0, undeclared: 0 };
  for (const f of report.findings) counts[f.type] += 1;
  return counts;
}
