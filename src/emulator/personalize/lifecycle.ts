import type { ResourceRecord, ResourceStatus, Store } from './store.ts';

/** One status a resource passes through and how long it stays there (milliseconds). */
export interface Phase {
  readonly status: ResourceStatus;
  readonly ms: number;
}

/**
 * What happens when the last phase ends: settle in a status, disappear (deletes), or settle with
 * whatever the kind's work decided (imports, later training).
 */
export type Outcome = { readonly type: 'status'; readonly status: ResourceStatus } | { readonly type: 'remove' } | { readonly type: 'work' };

/**
 * A resource's planned movement, persisted with it. Deadlines are absolute (epoch ms), so after a
 * restart the same plan continues where it was; `steps` are the phases not entered yet.
 */
export interface Transition {
  readonly steps: { readonly status: ResourceStatus; readonly at: number }[];
  readonly endAt: number;
  readonly outcome: Outcome;
}

/** The result of a kind's work; `commit` applies its effects in the same save as the status. */
export interface WorkResult {
  readonly status: ResourceStatus;
  readonly failureReason?: string;
  commit?(): void;
}

/** What a resource kind plugs into the lifecycle engine. Every hook is optional. */
export interface KindHooks {
  /** Called after every status change, e.g. to mirror it into a summary such as latestDatasetUpdate. */
  onStatus?(record: ResourceRecord): void;
  /** Called when a resource settles from a status outcome (not from work). */
  onSettled?(record: ResourceRecord): void;
  /**
   * Called for a record of any kind that has just settled in a status, after that kind's own hooks:
   * how a kind reacts to another's event (a synced campaign follows a version turning ACTIVE).
   */
  onAnySettled?(record: ResourceRecord): void;
  /** Called after a removed resource left the store, to drop what hangs off it. */
  onRemoved?(record: ResourceRecord): void;
  /**
   * The real work of a `work` outcome; starts when the last phase is entered, again after a
   * restart. `signal` aborts when the emulator closes or a new transition replaces this one
   * (StopSolutionVersionCreation); a result arriving after that is discarded.
   */
  work?(record: ResourceRecord, signal: AbortSignal): Promise<WorkResult>;
  /** Called once when the service closes, to stop the kind's own timers. */
  close?(): void;
}

/** Two phases that share `ms` evenly: the PENDING and IN_PROGRESS of most of the service's moves. */
export const halves = (first: ResourceStatus, second: ResourceStatus, ms: number): Phase[] => [
  { status: first, ms: ms / 2 },
  { status: second, ms: ms / 2 },
];
export const createPhases = (ms: number): Phase[] => halves('CREATE PENDING', 'CREATE IN_PROGRESS', ms);
export const deletePhases = (ms: number): Phase[] => halves('DELETE PENDING', 'DELETE IN_PROGRESS', ms);
export const updatePhases = (ms: number): Phase[] => halves('UPDATE PENDING', 'UPDATE IN_PROGRESS', ms);

/**
 * Moves every resource along its transition: lazily on each request (`tick`) and by one timer set
 * to the earliest deadline, so resources settle without further calls. Kinds differ only in their
 * phases, outcome and hooks.
 */
export class LifecycleEngine {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, { readonly done: Promise<void>; readonly cancel: AbortController }>();
  /** Cancelled work that has not returned yet; close waits for it too, so no write outlives the service. */
  private readonly draining = new Set<Promise<void>>();
  private readonly results = new Map<string, WorkResult>();
  private readonly abort = new AbortController();
  /** ARNs of records with a transition, so a request's tick costs nothing for settled ones. */
  private readonly moving = new Set<string>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly hooks: ReadonlyMap<string, KindHooks>,
  ) {
    for (const record of store.all()) if (record.transition !== undefined) this.moving.add(record.arn);
  }

  /** Starts a transition: the first phase's status applies at once. The caller saves. */
  begin(record: ResourceRecord, phases: readonly Phase[], outcome: Outcome): void {
    const now = this.now();
    const [first, ...rest] = phases;
    if (first === undefined) throw new Error('a transition needs at least one phase');
    let at = now + first.ms;
    const steps = rest.map((phase) => {
      const step = { status: phase.status, at };
      at += phase.ms;
      return step;
    });
    this.cancelWork(record.arn);
    record.transition = { steps, endAt: at, outcome };
    this.moving.add(record.arn);
    delete record.failureReason;
    this.setStatus(record, first.status, now);
    this.schedule();
  }

  /** Advances every due transition and saves if anything moved. */
  tick(): void {
    if (this.closed) return;
    const now = this.now();
    let changed = false;
    for (const arn of [...this.moving]) {
      const record = this.store.get(arn);
      if (record?.transition === undefined) this.moving.delete(arn);
      else if (this.advance(record, now)) changed = true;
    }
    if (changed) this.store.save();
    this.schedule();
  }

  /** Stops timers and running work; unfinished work restarts when the state is loaded again. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled([...[...this.running.values()].map((r) => r.done), ...this.draining]);
  }

  private advance(record: ResourceRecord, now: number): boolean {
    const transition = record.transition;
    if (transition === undefined) return false;
    let changed = false;
    while (transition.steps.length > 0 && (transition.steps[0]?.at ?? Infinity) <= now) {
      const step = transition.steps.shift();
      if (step !== undefined) this.setStatus(record, step.status, step.at);
      changed = true;
    }
    if (transition.steps.length > 0) return changed;
    const { outcome } = transition;
    if (outcome.type === 'work') {
      const result = this.results.get(record.arn);
      if (result === undefined) {
        this.startWork(record);
        return changed;
      }
      if (now < transition.endAt) return changed;
      this.results.delete(record.arn);
      result.commit?.();
      this.settle(record);
      if (result.failureReason !== undefined) record.failureReason = result.failureReason;
      this.setStatus(record, result.status, now);
      this.announceSettled(record);
      return true;
    }
    if (now < transition.endAt) return changed;
    this.settle(record);
    const hooks = this.hooks.get(record.kind);
    if (outcome.type === 'remove') {
      this.store.remove(record.arn);
      hooks?.onRemoved?.(record);
    } else {
      this.setStatus(record, outcome.status, transition.endAt);
      hooks?.onSettled?.(record);
      this.announceSettled(record);
    }
    return true;
  }

  private announceSettled(record: ResourceRecord): void {
    for (const hooks of this.hooks.values()) hooks.onAnySettled?.(record);
  }

  private settle(record: ResourceRecord): void {
    delete record.transition;
    this.moving.delete(record.arn);
  }

  private setStatus(record: ResourceRecord, status: ResourceStatus, at: number): void {
    record.status = status;
    record.updatedAt = at;
    this.hooks.get(record.kind)?.onStatus?.(record);
  }

  /** Aborts the work of the record's current transition, if any, and forgets its result. */
  private cancelWork(arn: string): void {
    this.results.delete(arn);
    const running = this.running.get(arn);
    if (running === undefined) return;
    this.running.delete(arn);
    running.cancel.abort(new Error('the transition was replaced'));
    this.draining.add(running.done);
    void running.done.finally(() => this.draining.delete(running.done));
  }

  private startWork(record: ResourceRecord): void {
    if (this.running.has(record.arn)) return;
    const work = this.hooks.get(record.kind)?.work;
    const cancel = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, cancel.signal]);
    const finished = (result: WorkResult): void => {
      if (signal.aborted) return;
      this.running.delete(record.arn);
      if (this.closed) return;
      this.results.set(record.arn, result);
      this.tick();
    };
    const promise = work === undefined ? Promise.resolve<WorkResult>({ status: 'ACTIVE' }) : work(record, signal);
    const done = promise.then(finished, (err: unknown) => {
      if (signal.aborted) return;
      finished({ status: 'CREATE FAILED', failureReason: `Internal error: ${err instanceof Error ? err.message : String(err)}` });
    });
    this.running.set(record.arn, { done, cancel });
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const arn of this.moving) {
      const transition = this.store.get(arn)?.transition;
      if (transition === undefined) continue;
      const step = transition.steps[0];
      if (step !== undefined) next = Math.min(next, step.at);
      else if (transition.outcome.type !== 'work' || this.results.has(arn)) next = Math.min(next, transition.endAt);
      else if (!this.running.has(arn)) next = Math.min(next, this.now());
    }
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now()));
    this.timer.unref();
  }
}
