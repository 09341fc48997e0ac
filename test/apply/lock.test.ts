import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardApply, type SignalSource } from '../../src/apply/guard.ts';
import { s3JournalStore, summarizeRun } from '../../src/apply/journal.ts';
import { acquireLock, forceUnlock, lockKey, parseDuration, readLock } from '../../src/apply/lock.ts';
import { PocError } from '../../src/diagnostics/index.ts';
import { startHarness, type Harness } from '../resources/harness.ts';

const BUCKET = 'lock-tests';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await h.close();
});

const request = (pocName: string, extra: { timeoutMs?: number; pollMs?: number } = {}) => ({ s3: h.clients.s3, bucket: BUCKET, pocName, command: 'poc apply', ...extra });

async function refusal(p: Promise<unknown>): Promise<PocError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PocError);
  return err as PocError;
}

/** A lock object as another process would have left it. */
async function plant(pocName: string, holder: { host: string; pid: number }): Promise<void> {
  const record = { id: 'planted', holder: `ci@${holder.host} pid ${holder.pid}`, host: holder.host, pid: holder.pid, command: 'poc apply plans/a.json', acquiredAt: '2026-01-02T03:04:05.000Z', by: 'https://ci.example/run/7' };
  await h.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: lockKey(pocName), Body: JSON.stringify(record) }));
}

describe('the apply lock (a conditional write in the environment bucket)', () => {
  it('refuses a second holder at once, naming who holds it, when and running what; free again after release', async () => {
    const first = await acquireLock(request('a'));
    const err = await refusal(acquireLock(request('a')));
    const d = err.diagnostics[0];
    expect(d?.code).toBe('lock-held');
    expect(d?.message).toContain(`@${hostname()} pid ${process.pid}`);
    expect(d?.message).toContain("running 'poc apply' since ");
    expect(d?.hint).toContain('poc unlock --force');
    await first.release();
    expect(await readLock(h.clients.s3, BUCKET, 'a')).toBeUndefined();
    const again = await acquireLock(request('a'));
    await again.release();
  });

  it('of two racing acquirers exactly one wins', async () => {
    const results = await Promise.allSettled([acquireLock(request('race')), acquireLock(request('race')), acquireLock(request('race'))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.release();
  });

  it('--lock-timeout waits for the holder to release', async () => {
    const first = await acquireLock(request('wait'));
    setTimeout(() => void first.release(), 150);
    const started = Date.now();
    const second = await acquireLock(request('wait', { timeoutMs: 5_000, pollMs: 20 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await second.release();
  });

  it('gives up after --lock-timeout, saying how long it waited', async () => {
    const first = await acquireLock(request('late'));
    const err = await refusal(acquireLock(request('late', { timeoutMs: 1_100, pollMs: 50 })));
    expect(err.diagnostics[0]?.message).toMatch(/waited 1 s/);
    await first.release();
  });

  it('takes over a lock whose holder died on this machine (kill -9), but not one from another machine', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await plant('dead', { host: hostname(), pid: dead });
    const taken = await acquireLock(request('dead'));
    expect((await readLock(h.clients.s3, BUCKET, 'dead'))?.id).toBe(taken.record.id);
    await taken.release();

    await plant('remote', { host: 'some-other-runner', pid: dead });
    const err = await refusal(acquireLock(request('remote')));
    expect(err.diagnostics[0]?.message).toContain("ci@some-other-runner pid");
    expect(err.diagnostics[0]?.message).toContain('(https://ci.example/run/7)');
    expect((await forceUnlock(h.clients.s3, BUCKET, 'remote'))?.id).toBe('planted');
    const mine = await acquireLock(request('remote'));
    await mine.release();
  });

  it('release leaves alone a lock that is no longer ours (force-unlocked and taken by another run)', async () => {
    const first = await acquireLock(request('stolen'));
    await forceUnlock(h.clients.s3, BUCKET, 'stolen');
    const second = await acquireLock(request('stolen'));
    await first.release();
    expect((await readLock(h.clients.s3, BUCKET, 'stolen'))?.id).toBe(second.record.id);
    await second.release();
  });

  it('parses durations for --lock-timeout', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('-5s')).toBeUndefined();
  });
});

/** A signal source the test fires by hand. */
function fakeSignals(): SignalSource & { fire(signal: 'SIGINT' | 'SIGTERM'): void; count(): number } {
  const listeners = new Map<string, Set<() => void>>();
  return {
    on: (s, l) => listeners.set(s, (listeners.get(s) ?? new Set()).add(l)),
    off: (s, l) => listeners.get(s)?.delete(l),
    fire: (s) => [...(listeners.get(s) ?? [])].forEach((l) => l()),
    count: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

describe('guardApply', () => {
  const guard = (pocName: string, signals: SignalSource, bucket: () => string | undefined = () => BUCKET) => ({
    s3: h.clients.s3,
    pocName,
    command: 'poc apply',
    findBucket: async () => bucket(),
    signals,
  });

  it('holds the lock while the run goes on and releases it when the run throws', async () => {
    const signals = fakeSignals();
    await expect(
      guardApply(guard('g1', signals), async () => {
        expect(await readLock(h.clients.s3, BUCKET, 'g1')).toBeDefined();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readLock(h.clients.s3, BUCKET, 'g1')).toBeUndefined();
    expect(signals.count()).toBe(0);
  });

  it('SIGTERM aborts the run, which unwinds, and the lock is released', async () => {
    const signals = fakeSignals();
    const outcome = await guardApply(guard('g2', signals), async ({ signal }) => {
      setTimeout(() => signals.fire('SIGTERM'), 20);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return String(signal.reason);
    });
    expect(outcome).toContain('interrupted by SIGTERM');
    expect(await readLock(h.clients.s3, BUCKET, 'g2')).toBeUndefined();
  });

  it('a second guarded apply fails before its run starts', async () => {
    const held = await acquireLock(request('g3'));
    let ran = false;
    await expect(
      guardApply(guard('g3', fakeSignals()), async () => {
        ran = true;
      }),
    ).rejects.toThrow(/holds the lock/);
    expect(ran).toBe(false);
    await held.release();
  });

  it('on a first apply takes the lock as soon as the bucket exists, before the next step', async () => {
    let exists = false;
    const signals = fakeSignals();
    await guardApply(guard('g4', signals, () => (exists ? BUCKET : undefined)), async ({ hooks }) => {
      const env = { id: 'environment#create', address: 'environment', op: 'create' as const };
      await hooks.before(env);
      expect(await readLock(h.clients.s3, BUCKET, 'g4')).toBeUndefined();
      exists = true;
      await hooks.after(env, 'succeeded', 'stack-id');
      const next = { id: 'schema.x#create', address: 'schema.x', op: 'create' as const };
      await hooks.before(next);
      expect(await readLock(h.clients.s3, BUCKET, 'g4')).toBeDefined();
      await hooks.after(next, 'succeeded', 'arn:x');
    });
    expect(await readLock(h.clients.s3, BUCKET, 'g4')).toBeUndefined();
    // The journal kept what happened before the bucket existed and wrote it once it could.
    const store = s3JournalStore(h.clients.s3, BUCKET, 'g4');
    const [run] = await store.runs();
    const summary = summarizeRun(await store.read(run as string));
    expect(summary?.finished).toBe(true);
    expect(summary?.succeeded).toEqual([
      { step: 'environment#create', resourceId: 'stack-id' },
      { step: 'schema.x#create', resourceId: 'arn:x' },
    ]);
  });
});
