import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ListDatasetGroupsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { IoHost } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';
import type { Plan } from '../../src/plan/types.ts';
import { arnInAccountOf } from '../../src/resources/arn.ts';

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

/**
 * The ARN of the `type` resource named `name` in the account and region of the dataset group named
 * `groupName`, which must exist: how a test names what the CLI created without hard-coding the account.
 */
export async function arnBesideGroup(personalize: PersonalizeClient, groupName: string, type: Parameters<typeof arnInAccountOf>[1], name: string): Promise<string> {
  const group = (await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups?.find((g) => g.name === groupName)?.datasetGroupArn ?? '';
  return arnInAccountOf(group, type, name);
}

/**
 * A POC directory driven through the CLI against its own test emulator, for one `describe` block.
 * `dir`, `emu` and `personalize` exist once its `beforeAll` has run; the functions may be captured
 * earlier, as they read those when called.
 */
export interface EmulatedPoc {
  readonly dir: string;
  readonly emu: RunningEmulator;
  /** "Another client" on the same emulator, for what a test checks or changes behind the CLI's back. */
  readonly personalize: PersonalizeClient;
  /** `poc <argv> --endpoint <emulator>`, run in `dir`. */
  readonly cli: (...argv: string[]) => Promise<CliRun>;
  /** The plan `poc plan --format json` prints. */
  readonly plan: () => Promise<Plan>;
  /** Replaces the first `from` in poc.yaml with `to`; fails the test if `from` is not there. */
  readonly editManifest: (from: string, to: string) => void;
}

/**
 * Registers the enclosing `describe` block's hooks: `beforeAll` makes the POC directory with
 * `makeDir` and starts a test emulator and a Personalize client; `afterAll` closes both and removes
 * the directory. Hooks the block registers afterwards run after this set-up (vitest runs
 * `beforeAll` hooks in order).
 */
export function useEmulatedPoc(makeDir: () => string): EmulatedPoc {
  let started: { dir: string; emu: RunningEmulator; personalize: PersonalizeClient } | undefined;
  const get = (): NonNullable<typeof started> => {
    if (started === undefined) throw new Error('the POC and its emulator start in beforeAll; read them from hooks and tests');
    return started;
  };
  beforeAll(async () => {
    const dir = makeDir();
    const emu = await startTestEmulator();
    started = { dir, emu, personalize: personalizeClient(emu.url) };
  });
  afterAll(async () => {
    started?.personalize.destroy();
    await started?.emu.close();
    if (started !== undefined) rmSync(started.dir, { recursive: true, force: true });
  });
  const cli = (...argv: string[]): Promise<CliRun> => runCli([...argv, '--endpoint', get().emu.url], { cwd: get().dir });
  return {
    get dir() {
      return get().dir;
    },
    get emu() {
      return get().emu;
    },
    get personalize() {
      return get().personalize;
    },
    cli,
    plan: async () => JSON.parse((await cli('plan', '--format', 'json')).stdout) as Plan,
    editManifest: (from, to) => {
      const file = join(get().dir, 'poc.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
    },
  };
}
