import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/harness.ts';
import { REPO_ROOT, startChaosEmulator, writeSmallPoc } from '../chaos/harness.ts';
import { leftovers } from './leftovers.ts';

/** Deletes take long enough that a kill lands between them; the rest stays quick. */
const DURATIONS = { create: 0, delete: 150, update: 0, import: 0, training: 0, campaign: 0, stack: 150 };

/** `poc destroy` as a child process, killed with SIGKILL once its stderr shows the first finished delete. */
function destroyKilledAfterFirstDelete(dir: string, url: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'poc.js'), 'destroy', '--endpoint', url, '--yes'], { cwd: dir, env: { ...process.env, POC_EMULATOR_FAULTS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/: deleted \(/.test(stderr)) child.kill('SIGKILL');
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

describe('an interrupted destroy', () => {
  it('is finished by the next destroy, which says what it resumes', async () => {
    const name = 'resume-poc';
    const dir = writeSmallPoc(name);
    const chaos = await startChaosEmulator(dir, undefined, DURATIONS);
    const cli = (...argv: string[]) => runCli([...argv, '--endpoint', chaos.emu.url], { cwd: dir });
    try {
      const apply = await cli('apply', '--yes');
      expect(apply.code, apply.stderr).toBe(0);
      const before = await leftovers(chaos.clients, name);

      const killed = await destroyKilledAfterFirstDelete(dir, chaos.emu.url);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const between = await leftovers(chaos.clients, name);
      expect(between.length).toBeLessThan(before.length);
      expect(between.some((l) => l.startsWith('datasetGroup '))).toBe(true);

      const rerun = await cli('destroy', '--yes');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stderr).toMatch(/Resuming after a run that did not finish \(run [^)]+\): [1-9]\d* step\(s\) done/);
      expect(await leftovers(chaos.clients, name)).toEqual([]);
      expect((await cli('destroy', '--yes')).stdout).toContain(`Nothing to destroy: nothing owned by ${name} exists`);
    } finally {
      await chaos.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
