import type { KindContext } from './kind.ts';

/**
 * Per-run memo over `ctx.cache`: the first caller starts the call, later callers share its
 * promise, so one List serves every resource it covers. A failed call is forgotten so a later
 * caller can retry it.
 */
export function memo<T>(ctx: KindContext, key: string, call: () => Promise<T>): Promise<T> {
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit as Promise<T>;
  const started = call();
  ctx.cache.set(key, started);
  started.catch(() => ctx.cache.delete(key));
  return started;
}

/** Drops memoised lists after a create or delete so the next observe sees the change. */
export function forget(ctx: KindContext, ...keys: string[]): void {
  for (const key of keys) ctx.cache.delete(key);
}
