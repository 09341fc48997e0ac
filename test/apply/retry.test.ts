import { describe, expect, it } from 'vitest';
import { backoffMs, retryMiddleware, retryReason, withRetry, type RetryPolicy } from '../../src/apply/retry.ts';

const named = (name: string, status?: number): Error => Object.assign(new Error(name), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }) });
const POLICY: RetryPolicy = { attempts: 5, baseMs: 100, maxMs: 1_000, quotaMaxMs: 10_000, random: () => 1 };

describe('our backoff around SDK calls', () => {
  it('retries throttling, 5xx, lost connections and LimitExceeded, and nothing a retry cannot fix', () => {
    expect(retryReason(named('ThrottlingException', 400))).toBe('throttled');
    expect(retryReason(named('SlowDown', 503))).toBe('throttled');
    expect(retryReason(named('Throttling', 400))).toBe('throttled');
    expect(retryReason(named('LimitExceededException', 400))).toBe('quota');
    expect(retryReason(named('InternalFailure', 500))).toBe('server-error');
    expect(retryReason(named('PersonalizeServiceException', 503))).toBe('server-error');
    expect(retryReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('connection-lost');
    expect(retryReason(named('ResourceAlreadyExistsException', 400))).toBeUndefined();
    expect(retryReason(named('InvalidInputException', 400))).toBeUndefined();
    expect(retryReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('waits longer each time, up to the cap, longer still for a quota', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(POLICY, n, 'throttled', () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffMs(POLICY, 8, 'quota', () => 1)).toBe(10_000);
    // Full jitter keeps at least half the ceiling, so a storm still spreads out.
    expect(backoffMs(POLICY, 3, 'throttled', () => 0)).toBe(200);
  });

  it('succeeds once the fault passes, and gives up after the attempts with the last error', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    let calls = 0;
    const value = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw named('ThrottlingException', 400);
      return 'ok';
    }, { ...POLICY, sleep });
    expect(value).toBe('ok');
    expect(waits).toEqual([100, 200]);

    calls = 0;
    await expect(withRetry(async () => {
      calls += 1;
      throw named('InternalFailure', 500);
    }, { ...POLICY, sleep })).rejects.toThrow('InternalFailure');
    expect(calls).toBe(5);

    calls = 0;
    await expect(withRetry(async () => {
      calls += 1;
      throw named('ResourceInUseException', 400);
    }, { ...POLICY, sleep })).rejects.toThrow('ResourceInUseException');
    expect(calls).toBe(1);
  });

  it('never resends a create after an ambiguous failure, only after a refusal; reads are always retried', async () => {
    const policy = { ...POLICY, sleep: async () => undefined };
    const count = async (commandName: string, failures: Error[]): Promise<{ calls: number; ok: boolean }> => {
      let calls = 0;
      const handler = retryMiddleware(policy)(async () => {
        calls += 1;
        const f = failures.shift();
        if (f !== undefined) throw f;
        return {};
      }, { commandName });
      const ok = await handler({ input: {} }).then(() => true, () => false);
      return { calls, ok };
    };
    expect(await count('CreateSolutionVersionCommand', [named('InternalFailure', 500)])).toEqual({ calls: 1, ok: false });
    expect(await count('CreateSolutionVersionCommand', [Object.assign(new Error('reset'), { code: 'ECONNRESET' })])).toEqual({ calls: 1, ok: false });
    expect(await count('CreateSolutionVersionCommand', [named('ThrottlingException', 400), named('LimitExceededException', 400)])).toEqual({ calls: 3, ok: true });
    expect(await count('DescribeSolutionVersionCommand', [named('InternalFailure', 500), Object.assign(new Error('reset'), { code: 'ECONNRESET' })])).toEqual({ calls: 3, ok: true });
    expect(await count('PutObjectCommand', [named('ServiceUnavailable', 503)])).toEqual({ calls: 2, ok: true });
  });
});
