import type { KindContext } from './kind.ts';

/** The SDK's per-call options for a kind call: abort with the run. */
export function signalOf(ctx: KindContext): { abortSignal?: AbortSignal } {
  return ctx.signal === undefined ? {} : { abortSignal: ctx.signal };
}
