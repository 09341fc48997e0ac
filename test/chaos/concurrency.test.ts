import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAOS_DURATIONS, expectedInventory, inventory, runPoc, startChaosEmulator, writeSmallPoc, type ChaosEmulator } from './harness.ts';

async function withPoc(name: string, faults: Parameters<typeof startChaosEmulator>[1], body: (dir: string, chaos: ChaosEmulator) => Promise<void>, durations = CHAOS_DURATIONS): Promise<void> {
  const dir = writeSmallPoc(name);
  const chaos = await startChaosEmulator(dir, faults, durations);
  try {
    await body(dir, chaos);
  } finally {
    await chaos.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** New data: one more import per dataset and one more training per solution are due. */
function changeData(dir: string): void {
  const file = join(dir, 'data', 'interactions.csv');
  writeFileSync(file, `${readFileSync(file, 'utf8')}U001,P001,1717300000,View\n`);
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const apply = (dir: string, url: string, extra: string[] = []) => runPoc(dir, ['apply', '--endpoint', url, '--yes', ...extra]);

describe('reliability of whole applies', () => {
  it('converges in one run under 10% throttling and 2% 5xx (and 1% resets)', async () => {
    await withPoc('faulty', { throttle: 0.1, error5xx: 0.02, reset: 0.01, seed: 11 }, async (dir, chaos) => {
      const run = await apply(dir, chaos.emu.url);
      expect(run.code, run.stderr).toBe(0);
      expect(chaos.emu.faults.throttle).toBeGreaterThan(5);
      expect(await inventory(chaos.clients, 'faulty')).toEqual(expectedInventory('faulty'));
    });
  });

  it('of two concurrent applies one runs and the other fails fast naming the holder; nothing is duplicated', async () => {
    // A first apply made slow (one step at a time, 1.5 s creates), so the second one plans while
    // the first holds the lock with most of its work still ahead.
    await withPoc('twice', undefined, async (dir, chaos) => {
      const first = runPoc(dir, ['apply', '--endpoint', chaos.emu.url, '--yes', '--json', '--concurrency', '1']);
      await until(async () => (await inventory(chaos.clients, 'twice')).lockHeld);
      const second = await apply(dir, chaos.emu.url);
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toMatch(/error \[lock-held\] Another apply of twice holds the lock: .+@.+ pid \d+, running 'poc apply' since \d{4}-\S+\. Nothing was changed by this run\./);
      expect(second.stderr).not.toMatch(/^\s+at /m);
      const done = await first;
      expect(done.code, done.stderr).toBe(0);
      expect(await inventory(chaos.clients, 'twice')).toEqual(expectedInventory('twice'));
    }, { ...CHAOS_DURATIONS, create: 1_500 });
  });

  it('with --lock-timeout the second apply waits for the first and then finds nothing left to do', async () => {
    await withPoc('queued', undefined, async (dir, chaos) => {
      expect((await apply(dir, chaos.emu.url)).code).toBe(0);
      changeData(dir);
      const [a, b] = await Promise.all([apply(dir, chaos.emu.url, ['--lock-timeout', '120s']), apply(dir, chaos.emu.url, ['--lock-timeout', '120s'])]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      const inv = await inventory(chaos.clients, 'queued');
      expect(Object.values(inv.versionsPerSolution)).toEqual([2, 2, 2]);
    });
  });

  it('SIGTERM mid-apply ends the run, releases the lock, records the end, and a rerun converges', async () => {
    await withPoc('term', undefined, async (dir, chaos) => {
      const stopped = await runPoc(dir, ['apply', '--endpoint', chaos.emu.url, '--yes', '--json'], { killWhen: /"event":"done"[^\n]*"address":"upload\./, extraMs: 50, signal: 'SIGTERM' });
      expect(stopped.signal).toBeNull();
      expect(stopped.code).toBe(1);
      expect(stopped.stdout).toMatch(/interrupted by SIGTERM|aborted/i);
      expect((await inventory(chaos.clients, 'term')).lockHeld).toBe(false);
      const again = await apply(dir, chaos.emu.url);
      expect(again.code, again.stderr).toBe(0);
      // The interrupted run wrote its end: nothing was left in flight for the rerun to report.
      expect(again.stderr).not.toMatch(/Resuming after an apply/);
      expect(await inventory(chaos.clients, 'term')).toEqual(expectedInventory('term'));
    });
  });

  it('poc unlock shows a stale holder from another machine and --force removes it', async () => {
    await withPoc('stale', undefined, async (dir, chaos) => {
      expect((await apply(dir, chaos.emu.url)).code).toBe(0);
      const inv = await inventory(chaos.clients, 'stale');
      expect(inv.lockHeld).toBe(false);
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
      const stack = await chaos.clients.cloudformation.send(new DescribeStacksCommand({ StackName: 'stale-env' }));
      const bucket = stack.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue;
      const record = { id: 'x', holder: 'runner@ci-gone pid 4242', host: 'ci-gone', pid: 4242, command: 'poc apply', acquiredAt: '2026-01-01T00:00:00.000Z' };
      await chaos.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'stale/lock.json', Body: JSON.stringify(record) }));
      changeData(dir);
      const refused = await apply(dir, chaos.emu.url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('runner@ci-gone pid 4242');
      const shown = await runPoc(dir, ['unlock', '--endpoint', chaos.emu.url]);
      expect(shown.code).toBe(1);
      expect(shown.stderr).toMatch(/held by runner@ci-gone pid 4242.*unlock --force/);
      const forced = await runPoc(dir, ['unlock', '--endpoint', chaos.emu.url, '--force']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toContain('Removed the lock held by runner@ci-gone pid 4242');
      expect((await apply(dir, chaos.emu.url)).code).toBe(0);
    });
  });
});
