import { errorName } from '../resources/errors.ts';

/**
 * Our backoff around every SDK call, outside the SDK's own retries: the SDK gives up after a few
 * quick attempts, while an apply that runs for hours must ride out a throttling storm, a burst
 * of 5xx or a quota that frees up minutes later. Invariants: `attempts >= 1` counts whole SDK
 * calls (each with its own SDK retries); delays grow from `baseMs` by doubling up to `maxMs`,
 * with full jitter so parallel steps do not retry in lockstep; `quotaMaxMs` caps the delay for
 * LimitExceeded, which frees only when another job finishes.
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly quotaMaxMs: number;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** For real AWS: about ten minutes of patience per call before the step fails. */
export const AWS_RETRY: RetryPolicy = { attempts: 12, baseMs: 1_000, maxMs: 30_000, quotaMaxMs: 120_000 };

/** For the emulator or another local endpoint: the same shape, in milliseconds instead of seconds. */
export const ENDPOINT_RETRY: RetryPolicy = { attempts: 12, baseMs: 10, maxMs: 250, quotaMaxMs: 1_000 };

/** Why a failed call may succeed if made again; undefined when it will not. */
export type RetryReason = 'throttled' | 'server-error' | 'connection-lost' | 'quota';

const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'SlowDown', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException']);
const SERVER = new Set(['InternalFailure', 'InternalError', 'ServiceUnavailable', 'InternalServerError']);
// ECONNREFUSED is left out on purpose: nothing listens there, and waiting will not change that.
const CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** Classifies an SDK or network error by its name, HTTP status and socket code, never its message. */
export function retryReason(err: unknown): RetryReason | undefined {
  const name = errorName(err);
  if (name === 'LimitExceededException') return 'quota';
  if (name !== undefined && THROTTLED.has(name)) return 'throttled';
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((name !== undefined && SERVER.has(name)) || (status !== undefined && status >= 500)) return 'server-error';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION.has(code)) return 'connection-lost';
  if (name === 'TimeoutError') return 'connection-lost';
  return undefined;
}

/** The delay before retry number `attempt` (1-based), full jitter over the exponential cap. */
export function backoffMs(policy: RetryPolicy, attempt: number, reason: RetryReason, random: () => number = Math.random): number {
  const cap = reason === 'quota' ? policy.quotaMaxMs : policy.maxMs;
  const ceiling = Math.min(cap, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Whether a request can be sent again as it is: a streamed body has already been consumed. */
function replayable(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return true;
  const body = (input as { Body?: unknown }).Body;
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * Runs `call` until it succeeds, fails for a reason that waiting cannot fix, or the policy's
 * attempts are spent; `onRetry` hears each wait (for logs and tests).
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  onRetry: (reason: RetryReason, attempt: number, delayMs: number) => void = () => {},
  allowed: (reason: RetryReason) => boolean = () => true,
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const reason = retryReason(err);
      if (reason === undefined || !allowed(reason) || attempt >= policy.attempts) throw err;
      const delay = backoffMs(policy, attempt, reason, policy.random);
      onRetry(reason, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * Whether a failure leaves it unknown if the service acted: a 5xx or a dropped connection may
 * come after the work was done. Throttling and quota errors are refusals: nothing happened.
 */
export function isAmbiguous(reason: RetryReason | undefined): boolean {
  return reason === 'server-error' || reason === 'connection-lost';
}

/**
 * Calls that are not safe to send twice: a second CreateSolutionVersion trains (and bills) again.
 * Their ambiguous failures go back to the caller, which re-observes before acting again.
 */
export function isOneShot(commandName: string | undefined): boolean {
  return commandName !== undefined && /^(Create|Start|Execute|Update)/.test(commandName) && !/^CreateBucket/.test(commandName);
}

/** The smithy middleware shape, written out so this file needs no @smithy/types import. */
type InitializeHandler = (args: { input: unknown }) => Promise<unknown>;

/**
 * An `initialize`-step middleware: wraps each SDK command (its serialisation, signing and the
 * SDK's own attempts) in {@link withRetry}. A call with a streamed body is sent once; a one-shot
 * call is retried only when the service refused it (throttling, quota), never after an ambiguous
 * failure, so a retry never creates a second resource for the same intent.
 */
export function retryMiddleware(policy: RetryPolicy, onRetry?: (reason: RetryReason, attempt: number, delayMs: number) => void): (next: InitializeHandler, context: { commandName?: string }) => InitializeHandler {
  return (next, context) => async (args) => {
    if (!replayable(args.input)) return next(args);
    const oneShot = isOneShot(context.commandName);
    return withRetry(() => next(args), policy, onRetry, oneShot ? (reason) => !isAmbiguous(reason) : undefined);
  };
}

