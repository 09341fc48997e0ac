/** One unit of work in a dependency graph. `run` resolves true on success, false on failure. */
export interface DagTask {
  readonly id: string;
  /** Ids of tasks that must succeed first; ids not among the tasks are ignored. */
  readonly deps: readonly string[];
  run(): Promise<boolean>;
}

export type DagOutcome = 'succeeded' | 'failed' | 'skipped';

/**
 * Runs tasks as soon as their dependencies have succeeded, at most `concurrency` at a time, in
 * the given order among those ready. A failed task skips its transitive dependents only; every
 * independent branch still runs. `onSkip` names the failed task a skip traces back to. A task
 * whose `run` throws counts as failed. Assumes no cycles (callers order plans topologically).
 */
export async function runDag(
  tasks: readonly DagTask[],
  concurrency: number,
  onSkip: (id: string, because: string) => void = () => {},
): Promise<ReadonlyMap<string, DagOutcome>> {
  const known = new Set(tasks.map((t) => t.id));
  const outcome = new Map<string, DagOutcome>();
  const blame = new Map<string, string>();
  const pending = [...tasks];
  let inFlight = 0;
  let wake: () => void = () => {};

  const settle = (): void => {
    // Skip anything whose dependency failed or was skipped, until nothing more changes.
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = pending.length - 1; i >= 0; i -= 1) {
        const task = pending[i] as DagTask;
        const bad = task.deps.find((d) => outcome.get(d) === 'failed' || outcome.get(d) === 'skipped');
        if (bad === undefined) continue;
        const because = blame.get(bad) ?? bad;
        pending.splice(i, 1);
        outcome.set(task.id, 'skipped');
        blame.set(task.id, because);
        onSkip(task.id, because);
        changed = true;
      }
    }
  };

  const start = (task: DagTask): void => {
    inFlight += 1;
    void task
      .run()
      .catch(() => false)
      .then((ok) => {
        outcome.set(task.id, ok ? 'succeeded' : 'failed');
        inFlight -= 1;
        wake();
      });
  };

  while (pending.length > 0 || inFlight > 0) {
    settle();
    for (let i = 0; i < pending.length && inFlight < Math.max(1, concurrency); ) {
      const task = pending[i] as DagTask;
      if (task.deps.every((d) => !known.has(d) || outcome.get(d) === 'succeeded')) {
        pending.splice(i, 1);
        start(task);
      } else {
        i += 1;
      }
    }
    if (inFlight === 0 && pending.length > 0) {
      // Nothing runs and nothing can start: only a cycle gets here; fail what is left.
      for (const task of pending.splice(0)) outcome.set(task.id, 'failed');
      break;
    }
    if (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
  }
  return outcome;
}
