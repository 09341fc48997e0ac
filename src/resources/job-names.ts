import { isAlreadyExists } from './errors.ts';
import type { ObservedResource } from './kind.ts';

/** How many times a start looks for a free name again after another run took the one it picked. */
const MAX_NAME_ATTEMPTS = 3;

/** `base`, else `base-02`, `base-03`... (the `-NN` form whose length poc.yaml validation reserves). */
export function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; n <= 99; n++) {
    const name = `${base}-${String(n).padStart(2, '0')}`;
    if (!taken.has(name)) return name;
  }
  throw new Error(`job names ${base}-02 to -99 are all taken`);
}

/** The calls one job kind makes to start a job at most once per intent. */
export interface JobStart {
  /** The kind's newest job as it is now (its List read afresh), if any. */
  newest(): Promise<ObservedResource | undefined>;
  /** Whether `job` was started for what is asked now (same data, same content). */
  sameIntent(job: ObservedResource): boolean;
  /** The job names in use, from the List `newest` just read. */
  takenNames(): Promise<Iterable<string>>;
  /** Creates the job under `jobName` and observes it. */
  start(jobName: string): Promise<ObservedResource>;
}

/**
 * Starts a job named `base` (or its first free `-NN` form), unless a crashed run already started
 * one for the same intent that has not failed: that one is adopted instead of running the work
 * twice. When another run takes the picked name between the List and the Create, looks again.
 */
export async function startJobOnce(base: string, job: JobStart): Promise<ObservedResource> {
  for (let attempt = 1; ; attempt++) {
    const current = await job.newest();
    if (current !== undefined && job.sameIntent(current) && current.readiness !== 'failed') return current;
    const jobName = freeName(base, new Set(await job.takenNames()));
    try {
      return await job.start(jobName);
    } catch (err) {
      if (!isAlreadyExists(err) || attempt >= MAX_NAME_ATTEMPTS) throw err;
    }
  }
}
