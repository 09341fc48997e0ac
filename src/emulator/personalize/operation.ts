import type { EmulatorContext } from '../context.ts';
import { alreadyExists, inUse, PersonalizeError } from './errors.ts';
import { createPhases, deletePhases, type KindHooks, type LifecycleEngine } from './lifecycle.ts';
import { epochSeconds } from './protocol.ts';
import type { StructureShape } from './shapes.ts';
import type { ResourceRecord, ResourceStatus, Store, Tag } from './store.ts';

/** Per region and per job kind: import and batch jobs PENDING or IN_PROGRESS (facts section 8). */
const MAX_JOBS_IN_FLIGHT = 5;

/** What every operation handler works with. */
export interface ServiceState {
  readonly ctx: EmulatorContext;
  readonly store: Store;
  readonly lifecycle: LifecycleEngine;
  /** The full ARN for a resource suffix such as `dataset-group/NAME`. */
  arn(suffix: string): string;
}

/**
 * A validated request. Accessors read members whose JSON types the shape has already checked, so
 * the casts below cannot be wrong for members the operation declared.
 */
export class Input {
  constructor(readonly raw: Readonly<Record<string, unknown>>) {}
  string(name: string): string {
    return this.raw[name] as string;
  }
  optString(name: string): string | undefined {
    return (this.raw[name] ?? undefined) as string | undefined;
  }
  optInteger(name: string): number | undefined {
    return (this.raw[name] ?? undefined) as number | undefined;
  }
  optBoolean(name: string): boolean | undefined {
    return (this.raw[name] ?? undefined) as boolean | undefined;
  }
  object(name: string): Record<string, unknown> {
    return this.raw[name] as Record<string, unknown>;
  }
  tags(name = 'tags'): Tag[] {
    return ((this.raw[name] ?? []) as Tag[]).map((t) => ({ tagKey: t.tagKey, tagValue: t.tagValue }));
  }
}

/** One API operation: its input shape (checked before `run`) and its behaviour. */
export interface Operation {
  readonly input: StructureShape;
  run(state: ServiceState, input: Input): object;
}

/**
 * Everything one resource kind contributes: its operations and its lifecycle hooks. Adding a kind
 * (solutions, campaigns...) is one module of this type listed in service.ts.
 */
export interface KindModule {
  readonly kind: string;
  readonly operations: Readonly<Record<string, Operation>>;
  hooks?(state: ServiceState): KindHooks;
}

/** A new record, refused if its ARN is taken. The caller stores it and starts its lifecycle. */
export function newRecord<A>(state: ServiceState, kind: string, arn: string, name: string, attrs: A, tags: Tag[]): ResourceRecord<A> {
  if (state.store.get(arn) !== undefined) throw alreadyExists(arn);
  const now = state.ctx.now();
  return { kind, arn, name, createdAt: now, updatedAt: now, tags, attrs };
}

/** The members every resource with a status reports, in Describe and in List summaries. */
export function statusFields(record: ResourceRecord): Record<string, unknown> {
  return {
    ...(record.status === undefined ? {} : { status: record.status }),
    creationDateTime: epochSeconds(record.createdAt),
    lastUpdatedDateTime: epochSeconds(record.updatedAt),
    ...(record.failureReason === undefined ? {} : { failureReason: record.failureReason }),
  };
}

/** `label` names the kind in messages, e.g. "dataset group". */
export function requireActive(record: ResourceRecord, label: string): void {
  if (record.status !== 'ACTIVE') throw inUse(`The ${label} ${record.arn} is in status ${record.status ?? 'unknown'}; it must be ACTIVE.`);
}

/** Stores a new record and starts it through CREATE PENDING and CREATE IN_PROGRESS (`ms` in all) to ACTIVE. */
export function beginCreate(state: ServiceState, record: ResourceRecord, ms = state.ctx.durations.create): void {
  state.store.put(record);
  state.lifecycle.begin(record, createPhases(ms), { type: 'status', status: 'ACTIVE' });
}

/** A per-dataset-group quota: resources of `kind` in the group count against it until their delete starts. */
export function checkGroupQuota(state: ServiceState, kind: string, groupArn: string, max: number, noun: string): void {
  const inGroup = state.store.list<{ readonly datasetGroupArn: string }>(kind).filter((r) => r.attrs.datasetGroupArn === groupArn && !r.status?.startsWith('DELETE'));
  if (inGroup.length >= max) throw new PersonalizeError('LimitExceededException', `Cannot create a ${noun}. More than ${max} ${noun}s in dataset group ${groupArn}.`);
}

/** A per-region quota of jobs of `kind` in either of their two in-flight statuses. */
export function checkInFlightQuota(state: ServiceState, kind: string, inFlight: readonly [ResourceStatus, ResourceStatus], max: number): void {
  const count = state.store.list(kind).filter((r) => r.status === inFlight[0] || r.status === inFlight[1]).length;
  if (count >= max) throw new PersonalizeError('LimitExceededException', `More than ${max} resources with PENDING or IN_PROGRESS status.`);
}

/**
 * Stores a new import or batch job and starts its work, within the quota of jobs in flight: the
 * first phase lasts half the create duration, the second the import duration (reading and
 * checking input is the bulk of every such job).
 */
export function beginJob(state: ServiceState, record: ResourceRecord, phases: readonly [ResourceStatus, ResourceStatus]): void {
  checkInFlightQuota(state, record.kind, phases, MAX_JOBS_IN_FLIGHT);
  state.store.put(record);
  const { create, import: runMs } = state.ctx.durations;
  state.lifecycle.begin(
    record,
    [
      { status: phases[0], ms: create / 2 },
      { status: phases[1], ms: runMs },
    ],
    { type: 'work' },
  );
}

/** Deletes start only from ACTIVE or CREATE FAILED; the resource is gone when the phases end. */
export function beginDelete(state: ServiceState, record: ResourceRecord, label: string): void {
  if (record.status !== 'ACTIVE' && record.status !== 'CREATE FAILED') {
    throw inUse(`Cannot delete ${label} ${record.arn} in status ${record.status ?? 'unknown'}.`);
  }
  state.lifecycle.begin(record, deletePhases(state.ctx.durations.delete), { type: 'remove' });
}
