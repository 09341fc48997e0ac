import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JobOutcome, JobReply, TrainJob } from './train-job.ts';

/** The worker's entry: a plain module that registers tsx before loading train-worker.ts. */
const BOOT = new URL('./train-worker-boot.mjs', import.meta.url);

/** How long an idle worker is kept for the next job before its thread is ended. */
const IDLE_MS = 30_000;

/** One core stays with the event loop; beyond two trainings at once memory, not time, is the limit. */
export const defaultPoolSize = (): number => Math.max(1, Math.min(2, availableParallelism() - 1));

export interface PoolOptions {
  /** Most workers alive at once; default `defaultPoolSize()`. */
  readonly size?: number;
  /** Idle time before a worker's thread ends; default 30 s. */
  readonly idleMs?: number;
}

interface Pending {
  readonly job: TrainJob;
  readonly signal: AbortSignal;
  readonly settle: (outcome: JobOutcome | { readonly aborted: unknown }) => void;
}

interface Slot {
  readonly worker: Worker;
  current: Pending | undefined;
  idle: NodeJS.Timeout | undefined;
  /** The last uncaught error, reported when the thread exits. */
  error: Error | undefined;
}

/**
 * Runs training jobs in worker threads, so a long training never stalls the emulator's requests.
 * Threads start on the first job (about half a second each, mostly tsx loading the engine) and
 * stay for the next ones; jobs beyond `size` wait in order. An aborted job leaves the queue, or
 * its thread is terminated (the engine's loops cannot be interrupted any other way) and a fresh
 * one starts for the next job. Idle threads never keep the process alive.
 */
export class TrainingPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private readonly size: number;
  private readonly idleMs: number;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.idleMs = options.idleMs ?? IDLE_MS;
  }

  /**
   * Runs `job` and resolves with its outcome; rejects with the signal's reason once the job is
   * out of the queue or its thread has ended, so nothing reads the job's descriptors afterwards.
   */
  run(job: TrainJob, signal: AbortSignal): Promise<JobOutcome> {
    if (this.closed) return Promise.reject(new Error('the training pool is closed'));
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<JobOutcome>((resolve, reject) => {
      const onAbort = (): void => void this.cancel(pending);
      const pending: Pending = {
        job,
        signal,
        settle: (outcome) => {
          signal.removeEventListener('abort', onAbort);
          if ('aborted' in outcome) reject(outcome.aborted);
          else resolve(outcome);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Ends every thread; queued and running jobs reject. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the training pool is closed');
    for (const pending of this.queue.splice(0)) pending.settle({ aborted: error });
    await Promise.all([...this.slots].map((slot) => this.end(slot, error)));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = [...this.slots].find((s) => s.current === undefined) ?? (this.slots.size < this.size ? this.spawn() : undefined);
      const pending = slot === undefined ? undefined : this.queue.shift();
      if (slot === undefined || pending === undefined) return;
      if (slot.idle !== undefined) clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { name: 'personalize-training' });
    const slot: Slot = { worker, current: undefined, idle: undefined, error: undefined };
    worker.on('message', (reply: JobReply) => {
      const pending = slot.current;
      if (pending === undefined || reply.id !== pending.job.id) return;
      slot.current = undefined;
      this.rest(slot);
      pending.settle(reply.outcome);
      this.pump();
    });
    worker.on('error', (err) => (slot.error = err));
    worker.on('exit', (code) => {
      this.slots.delete(slot);
      if (slot.idle !== undefined) clearTimeout(slot.idle);
      const pending = slot.current;
      slot.current = undefined;
      const why = slot.error?.message ?? `exit code ${code}`;
      pending?.settle({ type: 'crashed', message: `the training thread stopped (${why})` });
      this.pump();
    });
    this.slots.add(slot);
    return slot;
  }

  /** An idle thread lets the process exit and ends after a while without work. */
  private rest(slot: Slot): void {
    slot.worker.unref();
    slot.idle = setTimeout(() => void this.end(slot), this.idleMs);
    slot.idle.unref();
  }

  private async cancel(pending: Pending): Promise<void> {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.settle({ aborted: pending.signal.reason });
      return;
    }
    const slot = [...this.slots].find((s) => s.current === pending);
    if (slot !== undefined) await this.end(slot, pending.signal.reason);
  }

  /** Terminates the slot's thread, then rejects its job (if any) with `reason`. */
  private async end(slot: Slot, reason?: unknown): Promise<void> {
    const pending = slot.current;
    slot.current = undefined;
    this.slots.delete(slot);
    if (slot.idle !== undefined) clearTimeout(slot.idle);
    await slot.worker.terminate();
    pending?.settle({ aborted: reason });
    this.pump();
  }
}
