import type { S3Client } from '@aws-sdk/client-s3';
import type { StepHooks, StepRef } from './events.ts';
import { Journal, newRunId, s3JournalStore, type RunSummary } from './journal.ts';
import { acquireLock, type HeldLock } from './lock.ts';

/** Where SIGINT and SIGTERM come from; `process` in the CLI, a stand-in in tests. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface GuardOptions {
  readonly s3: S3Client;
  readonly pocName: string;
  /** What the lock and journal say is running, e.g. `poc apply plans/x.json`. */
  readonly command: string;
  /** A CI run URL. */
  readonly by?: string;
  readonly planDigest?: string;
  readonly lockTimeoutMs?: number;
  readonly lockPollMs?: number;
  /**
   * The environment's bucket once it exists. Asked before anything runs and, while it is
   * undefined, again before each step: a first apply creates the bucket, and takes the lock and
   * writes its journal as soon as it can.
   */
  findBucket(): Promise<string | undefined>;
  /** Told what the previous run left when it did not finish, so the user sees what is resumed. */
  onResume?(previous: RunSummary): void;
  readonly signals?: SignalSource;
}

/** What a guarded apply gets: hooks for the executor and a signal that ends the run on SIGINT/SIGTERM. */
export interface Guard {
  readonly hooks: StepHooks;
  readonly signal: AbortSignal;
}

/**
 * Runs an apply under the POC's lock, with its journal, and releases the lock however it ends:
 * normally, by an error, or on SIGINT/SIGTERM (which abort the run's calls and waits, so it
 * unwinds to here). A second signal is left to Node's default, which ends the process at once.
 * A lock held by another run fails fast (or after `lockTimeoutMs`) before any step runs when the
 * bucket exists; on a first apply, only the steps before the bucket exists run unlocked, and
 * those create resources with deterministic names, which a racing run adopts.
 */
export async function guardApply<T>(options: GuardOptions, run: (guard: Guard) => Promise<T>): Promise<T> {
  const signals = options.signals ?? process;
  const controller = new AbortController();
  const journal = new Journal(newRunId(), options.command, options.planDigest);
  let lock: HeldLock | undefined;
  let refusal: unknown;

  const take = async (bucket: string): Promise<void> => {
    try {
      lock = await acquireLock({ s3: options.s3, bucket, pocName: options.pocName, command: options.command, ...(options.by === undefined ? {} : { by: options.by }), timeoutMs: options.lockTimeoutMs ?? 0, ...(options.lockPollMs === undefined ? {} : { pollMs: options.lockPollMs }) });
    } catch (err) {
      refusal = err;
      throw err;
    }
    const store = s3JournalStore(options.s3, bucket, options.pocName);
    // Only the lock holder reads: the previous run is over (finished, dead or force-unlocked).
    const previous = await Journal.previous(store, journal.run);
    if (previous !== undefined && !previous.finished) options.onResume?.(previous);
    await journal.attach(store);
  };

  // Single-flight: steps starting together must not race this run against its own lock.
  let locking: Promise<void> | undefined;
  const ensureLocked = async (): Promise<void> => {
    if (refusal !== undefined) throw refusal;
    if (lock !== undefined) return;
    locking ??= (async () => {
      const bucket = await options.findBucket();
      if (bucket !== undefined) await take(bucket);
    })().finally(() => {
      locking = undefined;
    });
    await locking;
  };

  const hooks: StepHooks = {
    async before(step: StepRef) {
      await ensureLocked();
      await journal.hooks.before(step);
    },
    async after(step, outcome, resourceId) {
      await journal.hooks.after(step, outcome, resourceId);
    },
  };

  const onSignal = (name: 'SIGINT' | 'SIGTERM') => (): void => {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  try {
    await ensureLocked();
    const result = await run({ hooks, signal: controller.signal });
    // The bucket may have appeared in the last step: lock and journal are then caught up here.
    await ensureLocked().catch(() => undefined);
    return result;
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
    if (lock !== undefined) {
      await journal.end().catch(() => undefined);
      await lock.release().catch(() => undefined);
    }
  }
}
