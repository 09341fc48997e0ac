import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `read` until `done` accepts its result, with exponential backoff. Only for the short
 * waits inside one kind call (a change set being computed); waiting for a resource to become
 * ready is the executor's job, through `refresh`.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number; readonly what: string },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let delay = 25;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() + delay > deadline) throw new Error(`Timed out waiting for ${options.what}`);
    await sleep(delay, undefined, options.signal === undefined ? {} : { signal: options.signal });
    delay = Math.min(delay * 2, 2_000);
  }
}
