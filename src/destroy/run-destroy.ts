import type { ApplyEvent, ApplyResult } from '../apply/events.ts';
import { applyPlan } from '../apply/executor.ts';
import { guardApply } from '../apply/guard.ts';
import type { SignalSource } from '../apply/guard.ts';
import type { RunSummary } from '../apply/journal.ts';
import type { BaseContext } from '../apply/observe.ts';
import type { PollOptions } from '../apply/wait.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { Plan, PlannedChange } from '../plan/types.ts';
import { deleteObjectsUnder } from '../resources/bucket-objects.ts';
import { keepingInUse } from './keep-in-use.ts';
import type { KeptResource } from './keep-in-use.ts';
import { EMPTY_GRAPH } from './owned-resources.ts';
import type { DestroyPlan } from './plan-destroy.ts';

export interface DestroyRunOptions {
  readonly concurrency?: number;
  readonly poll?: PollOptions;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Wait this long for another run's lock (default 0: fail at once, naming the holder). */
  readonly lockTimeoutMs?: number;
  /** A CI run URL, recorded in the lock. */
  readonly by?: string;
  /** Told what an interrupted earlier run left, as `poc apply` is. */
  readonly onResume?: (previous: RunSummary) => void;
  readonly signals?: SignalSource;
}

/**
 * How a destroy ended. `result` as for apply (an address failed, skipped or deleted); `kept`:
 * shared resources left because something outside the POC uses them; `objectsDeleted`: S3
 * objects removed from the environment's bucket (all of them for a stack, the POC's prefix for an
 * existing bucket).
 */
export interface DestroyOutcome {
  readonly result: ApplyResult;
  readonly kept: readonly KeptResource[];
  readonly objectsDeleted: number;
}

const NOTHING: ApplyResult = { succeeded: [], failed: [], skipped: [], errors: [] };

export function succeeded(result: ApplyResult): boolean {
  return result.failed.length === 0 && result.skipped.length === 0 && result.errors.length === 0;
}

/**
 * Runs a destroy plan in two phases. First every Personalize resource, through the apply executor
 * (the kinds' delete order, each delete waited for until gone) under the POC's lock and journal,
 * so a second destroy after an interruption resumes. Then, once that succeeded, the environment:
 * the lock and journal live in its bucket, so this runs after they are released: the bucket is
 * emptied (CloudFormation cannot delete a bucket with objects) and the stack deleted and waited
 * for; for an existing bucket, only the POC's prefix is deleted. Never prints, never exits.
 */
export async function runDestroy(d: DestroyPlan, kinds: KindRegistry, base: BaseContext, options: DestroyRunOptions = {}): Promise<DestroyOutcome> {
  const kept: KeptResource[] = [];
  const isEnvironment = (c: PlannedChange): boolean => c.kind === 'environment';
  const services = phase(d.plan, d.plan.changes.filter((c) => !isEnvironment(c)));
  const environment = phase(d.plan, d.plan.changes.filter(isEnvironment));
  const executorOptions = {
    live: d.live,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.poll === undefined ? {} : { poll: options.poll }),
  };

  let first = NOTHING;
  if (services.changes.length > 0) {
    const bucket = bucketOf(d);
    first = await guardApply(
      {
        s3: base.clients.s3,
        pocName: base.pocName,
        command: 'poc destroy',
        lockTimeoutMs: options.lockTimeoutMs ?? 0,
        findBucket: async () => bucket,
        ...(options.by === undefined ? {} : { by: options.by }),
        ...(options.onResume === undefined ? {} : { onResume: options.onResume }),
        ...(options.signals === undefined ? {} : { signals: options.signals }),
      },
      ({ hooks, signal }) => applyPlan(services, EMPTY_GRAPH, keepingInUse(kinds, kept), { ...base, signal }, { ...executorOptions, hooks }),
    );
  }
  if (!succeeded(first)) return { result: first, kept, objectsDeleted: 0 };

  let objectsDeleted = 0;
  if (d.environment.mode === 'existing') {
    objectsDeleted = await deleteObjectsUnder(base.clients.s3, d.environment.bucket, d.environment.prefix, { signal: base.signal });
    return { result: first, kept, objectsDeleted };
  }
  for (const change of environment.changes) {
    const bucket = d.live.undeclared.find((r) => r.address === change.address)?.properties['bucket'];
    if (typeof bucket === 'string' && bucket !== '') objectsDeleted += await deleteObjectsUnder(base.clients.s3, bucket, '', { signal: base.signal });
  }
  const second = environment.changes.length === 0 ? NOTHING : await applyPlan(environment, EMPTY_GRAPH, kinds, base, executorOptions);
  return { result: merge(first, second), kept, objectsDeleted };
}

function phase(plan: Plan, changes: readonly PlannedChange[]): Plan {
  return { ...plan, changes };
}

/** The bucket that holds the lock and journal: the stack's, or the existing one poc.yaml names. */
function bucketOf(d: DestroyPlan): string | undefined {
  if (d.environment.mode === 'existing') return d.environment.bucket;
  const stack = d.live.undeclared.find((r) => r.kind === 'environment');
  const bucket = stack?.properties['bucket'];
  return typeof bucket === 'string' && bucket !== '' ? bucket : undefined;
}

function merge(a: ApplyResult, b: ApplyResult): ApplyResult {
  const sorted = (x: readonly string[], y: readonly string[]): string[] => [...x, ...y].sort();
  return { succeeded: sorted(a.succeeded, b.succeeded), failed: sorted(a.failed, b.failed), skipped: sorted(a.skipped, b.skipped), errors: [...a.errors, ...b.errors] };
}
