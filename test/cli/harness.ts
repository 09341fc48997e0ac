import { cpSync, mkdtempSync } from 'node:fs';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IoHost } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output, the way a user would type it in `cwd`. */
export async function runCli(argv: readonly string[], options: { cwd: string; env?: Record<string, string>; answer?: boolean; interactive?: boolean }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: IoHost = {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    interactive: options.interactive ?? false,
    color: false,
    confirm: async () => options.answer ?? false,
    env: { POC_EMULATOR_DURATION_MS: '0', ...options.env },
    cwd: options.cwd,
  };
  // Paths in messages are shown relative to the working directory, as a user in `cwd` sees them.
  const previous = process.cwd();
  process.chdir(options.cwd);
  try {
    const code = await main(argv, io);
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** A fresh copy of the example POC (poc.yaml, schemas, data) in a temp directory. */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-example-'));
  for (const entry of ['poc.yaml', 'schemas', 'data']) cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  return dir;
}

/** An emulator on a fresh state directory with zero phase durations, for `--endpoint` runs. */
export function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'poc-emu-')), durations: ZERO_DURATIONS });
}

/** A Personalize client that plays "another client" against the test emulator; no retries. */
export function personalizeClient(url: string): PersonalizeClient {
  return new PersonalizeClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
}
