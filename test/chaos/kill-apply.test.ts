import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedInventory, inventory, journals, killAndConverge, runPoc, startChaosEmulator, writeSmallPoc } from './harness.ts';

/** Kill points range over the step events of a whole apply (30: a start and a done for each of 15 steps), stopping short of the last so the kill lands before the run ends. */
const STEP_EVENTS = 28;
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('apply killed with SIGKILL at a random point converges when run again', () => {
  for (const seed of SEEDS) {
    // Odd seeds also meet wire faults, so a kill can land while a call is being retried.
    const faults = seed % 2 === 1 ? { throttle: 0.05, error5xx: 0.01, lostResponse: 0.01, seed } : undefined;
    it(`seed ${seed}${faults === undefined ? '' : ' with wire faults'}: each declared resource once, no orphans, plan clean`, async () => {
      const name = `chaos-${seed}`;
      const dir = writeSmallPoc(name);
      const chaos = await startChaosEmulator(dir, faults);
      try {
        const runs = await killAndConverge(dir, chaos.emu.url, seed, STEP_EVENTS);
        const last = runs[runs.length - 1];
        expect(runs[0]?.signal, 'the first run should have been killed').toBe('SIGKILL');
        expect(last?.code, `${last?.stderr ?? ''}`).toBe(0);
        // When the killed run's journal reached the bucket unfinished, a rerun with work left says what it resumes.
        const [oldest] = await journals(chaos.clients, name);
        if (oldest !== undefined && !oldest.finished && /"event":"start"/.test(runs[1]?.stdout ?? '')) {
          expect(runs[1]?.stderr).toMatch(new RegExp(`Resuming after an apply that did not finish \\(run ${oldest.run}\\): ${oldest.succeeded.length} step\\(s\\) done`));
        }
        const { lockHeld, lockPid, ...found } = await inventory(chaos.clients, name);
        const { lockHeld: _free, ...expected } = expectedInventory(name);
        expect(found).toEqual(expected);
        // Killed after its last step, the run left its lock, and the rerun found nothing to change
        // (so never took it): it names the dead process, which the next apply on this machine takes over.
        if (lockHeld) expect({ lockPid, rerunActed: /"event":"start"/.test(runs[1]?.stdout ?? '') }).toEqual({ lockPid: runs[0]?.pid, rerunActed: false });
        const plan = await runPoc(dir, ['plan', '--endpoint', chaos.emu.url, '--detailed-exitcode']);
        expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      } finally {
        await chaos.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});
