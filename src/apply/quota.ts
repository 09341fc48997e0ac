import type { QuotaClass } from '../resources/kind.ts';

/**
 * How many creates of each quota class may be in progress at once in one region. These are the
 * service's fixed or default quotas on PENDING/IN_PROGRESS resources (personalize-facts.md §8);
 * quotas on ACTIVE resources (campaigns per group) are not freed by waiting, so they are not here.
 */
export const DEFAULT_QUOTAS: Readonly<Record<QuotaClass, number>> = {
  import: 5,
  training: 20,
  batch: 5,
};

/**
 * Counting semaphores by quota class, so an apply queues its sixth import until one of five ends
 * instead of failing with LimitExceeded. Invariants: at most `limits[c]` holders per class; waiters
 * are served first come, first served; a release always wakes the next waiter.
 */
export class QuotaQueue {
  private readonly inUse = new Map<QuotaClass, number>();
  private readonly waiting = new Map<QuotaClass, (() => void)[]>();

  constructor(private readonly limits: Readonly<Record<QuotaClass, number>> = DEFAULT_QUOTAS) {}

  /** Runs `work` holding one slot of `quota` (none when undefined); `onQueued` hears a wait begin. */
  async run<T>(quota: QuotaClass | undefined, work: () => Promise<T>, onQueued?: (inUse: number, limit: number) => void): Promise<T> {
    if (quota === undefined) return work();
    await this.acquire(quota, onQueued);
    try {
      return await work();
    } finally {
      this.release(quota);
    }
  }

  inProgress(quota: QuotaClass): number {
    return this.inUse.get(quota) ?? 0;
  }

  private async acquire(quota: QuotaClass, onQueued?: (inUse: number, limit: number) => void): Promise<void> {
    const limit = Math.max(1, this.limits[quota]);
    const used = this.inProgress(quota);
    if (used < limit && (this.waiting.get(quota)?.length ?? 0) === 0) {
      this.inUse.set(quota, used + 1);
      return;
    }
    onQueued?.(used, limit);
    // The slot is handed over by `release`, which keeps the count, so no newcomer can overtake.
    await new Promise<void>((resolve) => {
      const queue = this.waiting.get(quota) ?? [];
      queue.push(resolve);
      this.waiting.set(quota, queue);
    });
  }

  private release(quota: QuotaClass): void {
    const next = this.waiting.get(quota)?.shift();
    if (next !== undefined) next();
    else this.inUse.set(quota, this.inProgress(quota) - 1);
  }
}
