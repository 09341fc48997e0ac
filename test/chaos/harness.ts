import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3JournalStore, summarizeRun, type RunSummary } from '../../src/apply/journal.ts';
import { readLock } from '../../src/apply/lock.ts';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { createRng } from '../../src/engine/rng.ts';
import { startEmulator, type Durations, type FaultConfig, type RunningEmulator } from '../../src/emulator/index.ts';
import { INTERACTIONS_SCHEMA } from '../data/helpers.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const POC_BIN = join(REPO_ROOT, 'bin', 'poc.js');

/** Short but non-zero phases, so a kill lands inside imports and trainings as well as between calls. */
export const CHAOS_DURATIONS: Partial<Durations> = { create: 40, delete: 40, update: 40, import: 300, training: 400, campaign: 200, stack: 100 };

/** What the small chaos POC declares: the counts every converged run must show exactly. */
export const DECLARED = { groups: ['a', 'b'], solutions: { a: ['popularity', 'sims'], b: ['popularity'] } } as const;

/** A small POC (two groups, three solutions unless left out, one shared data file) in a fresh directory. */
export function writeSmallPoc(name: string, options: { solutions?: boolean } = {}): string {
  const solutions = options.solutions ?? true;
  const dir = mkdtempSync(join(tmpdir(), `poc-chaos-${name}-`));
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'schemas', 'interactions.avsc'), JSON.stringify(INTERACTIONS_SCHEMA, null, 2));
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let i = 0; i < 1500; i++) rows.push(`U${String(i % 60).padStart(3, '0')},P${String((i * 7 + (i % 60)) % 45).padStart(3, '0')},${1_717_200_000 + i * 60},View`);
  writeFileSync(join(dir, 'data', 'interactions.csv'), `${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'poc.yaml'),
    [
      'version: 1',
      `name: ${name}`,
      'region: us-east-1',
      'environment:',
      `  stack: { name: ${name}-env }`,
      'schemas:',
      '  interactions: schemas/interactions.avsc',
      'datasetGroups:',
      '  a:',
      '    datasets:',
      '      interactions: { schema: interactions, data: data/interactions.csv }',
      ...(solutions ? ['    solutions:', '      popularity: { recipe: aws-popularity-count }', '      sims: { recipe: aws-sims }'] : []),
      '  b:',
      '    datasets:',
      '      interactions: { schema: interactions, data: data/interactions.csv }',
      ...(solutions ? ['    solutions:', '      popularity: { recipe: aws-popularity-count }'] : []),
      '',
    ].join('\n'),
  );
  return dir;
}

export interface ChaosEmulator {
  readonly emu: RunningEmulator;
  readonly clients: Clients;
  close(): Promise<void>;
}

/** The emulator the CLI children talk to, in this process, on an ephemeral port. */
export async function startChaosEmulator(dir: string, faults?: FaultConfig, durations: Partial<Durations> = CHAOS_DURATIONS): Promise<ChaosEmulator> {
  const emu = await startEmulator({ stateDir: join(dir, '.emulator'), durations, ...(faults === undefined ? {} : { faults }) });
  // The test's own reads must see the truth, not faults: its client retries through them.
  const clients = createClients({ region: 'us-east-1', endpoint: emu.url });
  return {
    emu,
    clients,
    async close() {
      clients.destroy();
      await emu.close();
    },
  };
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Step events seen on stdout before the run ended. */
  readonly steps: number;
  readonly pid: number | undefined;
}

/**
 * Runs `poc <args>` as a child process in `dir`. With `killAfterSteps`, sends SIGKILL once that
 * many step events (`--json` start/done lines) have been printed (or once stdout matches
 * `killWhen`), plus `extraMs`: a kill -9 at a chosen point of the apply, whatever the machine's speed.
 */
export function runPoc(dir: string, args: readonly string[], options: { killAfterSteps?: number; killWhen?: RegExp; extraMs?: number; signal?: NodeJS.Signals; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [POC_BIN, ...args], { cwd: dir, env: { ...process.env, POC_EMULATOR_FAULTS: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let steps = 0;
    let armed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    const arm = (): void => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill(options.signal ?? 'SIGKILL'), options.extraMs ?? 0);
    };
    if (options.killAfterSteps === 0) child.stdout.once('data', arm);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      steps = (stdout.match(/"event":"(start|done)"/g) ?? []).length;
      if (options.killAfterSteps !== undefined && steps >= options.killAfterSteps) arm();
      if (options.killWhen?.test(stdout) === true) arm();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, steps, pid: child.pid });
    });
  });
}

/** A kill point for `seed`: after 0..maxSteps step events, then 0-40 ms more. */
export function killPoint(seed: number, maxSteps: number): { steps: number; extraMs: number } {
  const rng = createRng(seed * 7919 + 17);
  return { steps: Math.floor(rng() * (maxSteps + 1)), extraMs: Math.floor(rng() * 40) };
}

/** Everything the POC owns in the emulator, counted by what a duplicate would show as. */
export interface Inventory {
  readonly stacks: number;
  readonly schemas: number;
  readonly groups: readonly string[];
  readonly datasetsPerGroup: Readonly<Record<string, number>>;
  readonly importsPerDataset: Readonly<Record<string, number>>;
  readonly solutions: readonly string[];
  readonly versionsPerSolution: Readonly<Record<string, number>>;
  readonly dataObjects: number;
  readonly lockHeld: boolean;
  /** The pid recorded in the lock object, when one is held. */
  readonly lockPid?: number;
}

async function stacksOf(clients: Clients, pocName: string) {
  const stacks = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: `${pocName}-env` })).then((o) => o.Stacks ?? [], () => []);
  return { stacks, bucket: stacks[0]?.Outputs?.find((o) => /bucket/i.test(o.OutputKey ?? ''))?.OutputValue };
}

/** The journals in the POC's bucket, oldest first. */
export async function journals(clients: Clients, pocName: string): Promise<RunSummary[]> {
  const { bucket } = await stacksOf(clients, pocName);
  if (bucket === undefined) return [];
  const store = s3JournalStore(clients.s3, bucket, pocName);
  const out: RunSummary[] = [];
  for (const run of await store.runs()) {
    const summary = summarizeRun(await store.read(run));
    if (summary !== undefined) out.push(summary);
  }
  return out;
}

export async function inventory(clients: Clients, pocName: string): Promise<Inventory> {
  const p = clients.personalize;
  const { stacks, bucket } = await stacksOf(clients, pocName);
  const schemas = ((await p.send(new ListSchemasCommand({ maxResults: 100 }))).schemas ?? []).filter((s) => s.name?.startsWith(`${pocName}-`));
  const groups = ((await p.send(new ListDatasetGroupsCommand({ maxResults: 100 }))).datasetGroups ?? []).filter((g) => g.name?.startsWith(`${pocName}-`));
  const datasetsPerGroup: Record<string, number> = {};
  const importsPerDataset: Record<string, number> = {};
  const versionsPerSolution: Record<string, number> = {};
  const solutions: string[] = [];
  for (const g of groups) {
    const datasets = (await p.send(new ListDatasetsCommand({ datasetGroupArn: g.datasetGroupArn, maxResults: 100 }))).datasets ?? [];
    datasetsPerGroup[g.name ?? ''] = datasets.length;
    for (const d of datasets) importsPerDataset[d.name ?? ''] = ((await p.send(new ListDatasetImportJobsCommand({ datasetArn: d.datasetArn, maxResults: 100 }))).datasetImportJobs ?? []).length;
    for (const s of (await p.send(new ListSolutionsCommand({ datasetGroupArn: g.datasetGroupArn, maxResults: 100 }))).solutions ?? []) {
      solutions.push(s.name ?? '');
      versionsPerSolution[s.name ?? ''] = ((await p.send(new ListSolutionVersionsCommand({ solutionArn: s.solutionArn, maxResults: 100 }))).solutionVersions ?? []).length;
    }
  }
  let dataObjects = 0;
  let lockHeld = false;
  let lockPid: number | undefined;
  if (bucket !== undefined) {
    const objects = (await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${pocName}/` }))).Contents ?? [];
    dataObjects = objects.filter((o) => o.Key?.startsWith(`${pocName}/data/`) === true).length;
    lockHeld = objects.some((o) => o.Key === `${pocName}/lock.json`);
    if (lockHeld) lockPid = (await readLock(clients.s3, bucket, pocName))?.pid;
  }
  return { stacks: stacks.length, schemas: schemas.length, groups: groups.map((g) => g.name ?? '').sort(), datasetsPerGroup, importsPerDataset, solutions: solutions.sort(), versionsPerSolution, dataObjects, lockHeld, ...(lockPid === undefined ? {} : { lockPid }) };
}

/** The inventory a converged small POC has: each declared resource once, nothing else. */
export function expectedInventory(pocName: string): Inventory {
  const groups = DECLARED.groups.map((g) => `${pocName}-${g}`);
  const solutions = Object.entries(DECLARED.solutions).flatMap(([g, list]) => list.map((s) => `${pocName}-${g}-${s}`)).sort();
  return {
    stacks: 1,
    schemas: 1,
    groups,
    datasetsPerGroup: Object.fromEntries(groups.map((g) => [g, 1])),
    importsPerDataset: Object.fromEntries(groups.map((g) => [`${g}-interactions`, 1])),
    solutions,
    versionsPerSolution: Object.fromEntries(solutions.map((s) => [s, 1])),
    dataObjects: 1,
    lockHeld: false,
  };
}

/** Kills an apply at `seed`'s point, then re-runs it until it exits 0; returns every run. */
export async function killAndConverge(dir: string, url: string, seed: number, maxSteps: number, maxReruns = 6): Promise<ChildRun[]> {
  const point = killPoint(seed, maxSteps);
  const runs: ChildRun[] = [await runPoc(dir, ['apply', '--endpoint', url, '--yes', '--json'], { killAfterSteps: point.steps, extraMs: point.extraMs })];
  for (let i = 0; i < maxReruns; i++) {
    const run = await runPoc(dir, ['apply', '--endpoint', url, '--yes', '--json']);
    runs.push(run);
    if (run.code === 0) return runs;
  }
  return runs;
}
