import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { PLAN_MARKER } from '../../src/render/plan-markdown.ts';
import { copyExample, runCli, startTestEmulator } from './harness.ts';

const actions = (dir: string, summary?: string): Record<string, string> => ({
  GITHUB_ACTIONS: 'true',
  // The checkout is the parent, as when poc.yaml lives in a folder of the repository.
  GITHUB_WORKSPACE: dirname(dir),
  ...(summary === undefined ? {} : { GITHUB_STEP_SUMMARY: summary }),
});

describe('in GitHub Actions', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('manifest errors become annotations on their line, with the path from the repository root', async () => {
    const dir = copyExample();
    const file = join(dir, 'poc.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('region: us-east-1', 'regoin: us-east-1'));
    const run = await runCli(['plan', '--endpoint', emu.url], { cwd: dir, env: actions(dir) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^::error file=${basename(dir)}/poc\\.yaml,line=\\d+,col=\\d+,title=poc \\[[a-z-]+\\]::.*regoin`, 'm'));
    // The human line is still there for the log.
    expect(run.stderr).toMatch(/^poc\.yaml:\d+:\d+: error/m);
  });

  it('many errors: ten annotations at most, the rest rolled into the last', async () => {
    const dir = copyExample();
    const file = join(dir, 'poc.yaml');
    const typos = Array.from({ length: 14 }, (_, i) => `extra${i}: ${i}`).join('\n');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n${typos}\n`);
    const run = await runCli(['validate'], { cwd: dir, env: actions(dir) });
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatch(new RegExp(`^::error file=${basename(dir)}/poc\\.yaml,line=\\d+,col=1,title=poc \\[[a-z-]+\\]::.*extra`));
    expect(errors[9]).toMatch(/^::error title=poc%3A 5 more errors::5 more errors \(see the job log\):%0A.*extra/);
  });

  it('plan appends its markdown to the job summary; outside Actions nothing is written', async () => {
    const dir = copyExample();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const run = await runCli(['plan', '--endpoint', emu.url], { cwd: dir, env: actions(dir, summary) });
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith(PLAN_MARKER)).toBe(true);
    expect(text).toMatch(/\*\*Plan: \d+ to create/);
    expect(run.stdout).not.toContain(PLAN_MARKER);

    const quiet = join(dir, 'quiet.md');
    writeFileSync(quiet, '');
    await runCli(['plan', '--endpoint', emu.url], { cwd: dir, env: { GITHUB_STEP_SUMMARY: quiet } });
    expect(readFileSync(quiet, 'utf8')).toBe('');
  });
});
