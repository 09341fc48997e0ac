import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedInventory, inventory, killAndConverge, runPoc, startChaosEmulator, writeSmallPoc } from '../chaos/harness.ts';

/**
 * The chaos suite's check in `npm test`, for two kill points; `npm run test:chaos` runs twenty.
 * The apply is a real CLI process, killed with SIGKILL and run again until it exits 0.
 */
describe('an apply killed with SIGKILL resumes from its journal and converges', () => {
  for (const seed of [101, 202]) {
    it(`seed ${seed}: every declared resource once, no second import or training, plan clean`, async () => {
      const name = `resume-${seed}`;
      const dir = writeSmallPoc(name);
      const chaos = await startChaosEmulator(dir);
      try {
        const runs = await killAndConverge(dir, chaos.emu.url, seed, 28);
        expect(runs[0]?.signal).toBe('SIGKILL');
        expect(runs[runs.length - 1]?.code, runs[runs.length - 1]?.stderr).toBe(0);
        expect(await inventory(chaos.clients, name)).toEqual(expectedInventory(name));
        const plan = await runPoc(dir, ['plan', '--endpoint', chaos.emu.url, '--detailed-exitcode']);
        expect(plan.code, plan.stdout).toBe(0);
      } finally {
        await chaos.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});
