import type { KindContext, ObservedResource, ResourceKind } from '../resources/kind.ts';

/** How to poll a resource until it settles. Intervals grow by `factor` from `initialMs` up to `maxMs`. */
export interface PollOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
  /** Give up after this long; the resource keeps going in the service. */
  readonly timeoutMs?: number;
  /** Injectable for tests; must honour the signal. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

export const DEFAULT_POLL = { initialMs: 2_000, maxMs: 30_000, factor: 2, timeoutMs: 3 * 60 * 60 * 1000 } as const;

export type WaitTarget = 'ready' | 'gone';

export type WaitResult =
  | { readonly outcome: 'ready'; readonly observed: ObservedResource }
  | { readonly outcome: 'gone' }
  | { readonly outcome: 'failed'; readonly reason: string; readonly observed?: ObservedResource }
  | { readonly outcome: 'timeout'; readonly elapsedMs: number; readonly observed?: ObservedResource };

/** Called when the status string changes while waiting, with the time since waiting began. */
export type StatusListener = (observed: ObservedResource, elapsedMs: number) => void;

/**
 * Polls `kind.refresh` until the resource is ready (`failed` ends the wait with the service's
 * failureReason; vanishing does too) or gone (a failed state ends that wait too, except on the
 * resource as given, which may predate the delete call). The first check uses `observed` as given, so a
 * resource that is already there costs no call.
 */
export async function waitFor(
  kind: ResourceKind,
  ctx: KindContext,
  observed: ObservedResource | undefined,
  target: WaitTarget,
  poll: PollOptions = {},
  onStatus: StatusListener = () => {},
): Promise<WaitResult> {
  const now = poll.now ?? Date.now;
  const sleep = poll.sleep ?? defaultSleep;
  const maxMs = poll.maxMs ?? DEFAULT_POLL.maxMs;
  const factor = poll.factor ?? DEFAULT_POLL.factor;
  const timeoutMs = poll.timeoutMs ?? DEFAULT_POLL.timeoutMs;
  const started = now();
  let interval = poll.initialMs ?? DEFAULT_POLL.initialMs;
  let current = observed;
  let lastStatus: string | undefined;
  let lastSeen = observed;
  for (;;) {
    if (current === undefined) {
      if (target === 'gone') return { outcome: 'gone' };
      return { outcome: 'failed', reason: 'it disappeared while waiting for it to become ready', ...(lastSeen === undefined ? {} : { observed: lastSeen }) };
    }
    lastSeen = current;
    if (current.status !== lastStatus) {
      lastStatus = current.status;
      onStatus(current, now() - started);
    }
    // A failed resource being deleted still shows its old failure until the delete registers.
    if (current.readiness === 'failed' && !(target === 'gone' && current === observed)) return { outcome: 'failed', reason: current.failureReason ?? `status ${current.status}`, observed: current };
    if (target === 'ready' && current.readiness === 'ready') return { outcome: 'ready', observed: current };
    const elapsedMs = now() - started;
    if (elapsedMs >= timeoutMs) return { outcome: 'timeout', elapsedMs, observed: current };
    await sleep(Math.min(interval, Math.max(0, timeoutMs - elapsedMs)), ctx.signal);
    interval = Math.min(maxMs, interval * factor);
    current = await kind.refresh(ctx, current);
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
