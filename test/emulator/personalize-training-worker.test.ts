import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { CreateSolutionVersionCommand, DescribeDatasetGroupCommand, DescribeSolutionVersionCommand, StopSolutionVersionCreationCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRetailData } from '../../src/data/synthetic/index.ts';
import { evaluateRecipe, evaluationSeed, loadCsvData, serializeModel, trainModel } from '../../src/engine/index.ts';
import type { JobOutcome, TrainJob } from '../../src/emulator/personalize/train-job.ts';
import { METRIC_KEYS } from '../../src/emulator/personalize/trainer.ts';
import { TrainingPool } from '../../src/emulator/personalize/worker-pool.ts';
import { INTERACTIONS_SCHEMA, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, settledVersion } from './personalize-solutions-helpers.ts';

/** Big enough that user-personalization keeps a core busy for seconds, small enough for CI. */
const RETAIL = { users: 2400, items: 600, interactions: 60_000, seed: 11 };
const LATENCY_BUDGET_MS = 200;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

describe('training runs off the event loop', () => {
  let h: Harness;
  let dataDir: string;
  let interactionsFile: string;
  let groupArn: string;
  let solutionArn: string;

  /** Sends DescribeDatasetGroup back to back until `until` settles; returns each call's latency. */
  async function latenciesWhile(until: Promise<unknown>): Promise<number[]> {
    let done = false;
    void until.finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const start = performance.now();
      const got = await h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: groupArn }));
      latencies.push(performance.now() - start);
      expect(got.datasetGroup?.status).toBe('ACTIVE');
    }
    return latencies;
  }

  /** CPU time the whole process (every thread) spends over `ms`: near zero once nothing trains. */
  async function cpuMsOver(ms: number): Promise<number> {
    const before = process.cpuUsage();
    await sleep(ms);
    const { user, system } = process.cpuUsage(before);
    return (user + system) / 1000;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'poc-training-worker-'));
    interactionsFile = (await generateRetailData(RETAIL, dataDir)).files.interactions;
    h = await startHarness();
    const csv = readFileSync(interactionsFile, 'utf8');
    groupArn = (await groupWithData(h.personalize, h.s3, 'big', { Interactions: { schema: INTERACTIONS_SCHEMA, csv } })).groupArn;
    solutionArn = await activeSolution(h.personalize, { name: 'big-up', datasetGroupArn: groupArn, recipeArn: recipe('aws-user-personalization') });
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps answering requests within 200 ms while a big version trains, and writes the main thread\'s exact bytes', async () => {
    const started = performance.now();
    const { solutionVersionArn = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    const settled = settledVersion(h.personalize, solutionVersionArn, 60_000);
    const duringWorker = await latenciesWhile(settled);
    const trainingMs = performance.now() - started;
    expect((await settled).status).toBe('ACTIVE');

    // The same work on the main thread, with a turn between phases as the emulator used to do.
    const inline = (async () => {
      await sleep(50);
      const loaded = await loadCsvData({ interactions: createReadStream(interactionsFile) });
      if (!loaded.ok) throw new Error(loaded.failure.message);
      const options = { recipe: 'aws-user-personalization', data: loaded.value.data, seed: evaluationSeed(loaded.value.data) } as const;
      const model = trainModel(options);
      if (!model.ok) throw new Error(model.failure.message);
      await nextTurn();
      const evaluation = evaluateRecipe(options);
      if (!evaluation.ok) throw new Error(evaluation.failure.message);
      return { model: serializeModel(model.value), metrics: evaluation.value.metrics };
    })();
    const duringMainThread = await latenciesWhile(inline);
    const local = await inline;

    const workerMax = Math.max(...duringWorker);
    const mainMax = Math.max(...duringMainThread);
    console.info(
      `training ${Math.round(trainingMs)} ms; DescribeDatasetGroup latency: worker p99 ${percentile(duringWorker, 0.99).toFixed(1)} ms, max ${workerMax.toFixed(1)} ms over ${duringWorker.length} calls; main thread max ${mainMax.toFixed(1)} ms`,
    );
    expect(trainingMs).toBeGreaterThan(4 * LATENCY_BUDGET_MS);
    expect(mainMax).toBeGreaterThan(LATENCY_BUDGET_MS);
    // On a shared two-core machine the OS alone can hold a thread back for a while: every call
    // but the rare outlier stays within budget, and the worst one is far from a blocked loop.
    expect(percentile(duringWorker, 0.99)).toBeLessThan(LATENCY_BUDGET_MS);
    expect(workerMax).toBeLessThan(mainMax / 2);

    const dir = join(h.stateDir, 'personalize', 'models', 'big-up', solutionVersionArn.slice(solutionVersionArn.lastIndexOf('/') + 1));
    expect(readFileSync(join(dir, 'model.bin')).equals(local.model)).toBe(true);
    const scores: Readonly<Record<string, number>> = local.metrics;
    const expected = JSON.stringify({ metrics: Object.fromEntries((METRIC_KEYS.USER_PERSONALIZATION ?? []).map((k) => [k, scores[k] ?? 0])) });
    expect(readFileSync(join(dir, 'metrics.json'), 'utf8')).toBe(expected);
    expect(scores.precision_at_10).toBeGreaterThan(0);
  }, 120_000);

  /**
   * Waits until the version is training, then a moment for its thread to be busy with it. A fixed
   * sleep raced the training itself: on an idle machine the version was ACTIVE before the stop.
   */
  async function midTraining(solutionVersionArn: string): Promise<void> {
    await waitFor(() => h.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (r) => r.solutionVersion?.status === 'CREATE IN_PROGRESS', 30_000);
    await sleep(200);
  }

  it('stops a version mid-training at once, ends its thread, and trains the next one on a fresh thread', async () => {
    const { solutionVersionArn: stopped = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    await midTraining(stopped);
    const stopAt = performance.now();
    await h.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: stopped }));
    expect((await settledVersion(h.personalize, stopped)).status).toBe('CREATE STOPPED');
    expect(performance.now() - stopAt).toBeLessThan(1000);
    expect(await cpuMsOver(500)).toBeLessThan(250);

    const small = await activeSolution(h.personalize, { name: 'big-pop', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    const { solutionVersionArn: next = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn: small }));
    expect((await settledVersion(h.personalize, next, 30_000)).status).toBe('ACTIVE');
  }, 60_000);

  it('closes the emulator mid-training without waiting for the training to finish', async () => {
    const { solutionVersionArn: closing = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    await midTraining(closing);
    const closeAt = performance.now();
    await h.stop();
    expect(performance.now() - closeAt).toBeLessThan(1000);
    expect(await cpuMsOver(500)).toBeLessThan(250);
  }, 30_000);
});

describe('TrainingPool', () => {
  let dir: string;
  let fd: number;
  const job = (id: string): TrainJob => ({ id, recipe: 'aws-popularity-count', params: {}, filter: {}, metricKeys: ['coverage'], interactions: { fd, kinds: {} } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'poc-training-pool-'));
    const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
    for (let i = 0; i < 1500; i += 1) rows.push(`u${i % 60},i${(i * 7) % 97},${1_700_000_000 + i}`);
    writeFileSync(join(dir, 'interactions.csv'), `${rows.join('\n')}\n`);
    fd = openSync(join(dir, 'interactions.csv'), 'r');
  });
  afterAll(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs queued jobs in order on one thread, drops an aborted one from the queue, and reads a descriptor again from its start', async () => {
    const pool = new TrainingPool({ size: 1 });
    const done: string[] = [];
    const track = (id: string, signal = new AbortController().signal): Promise<JobOutcome> =>
      pool.run(job(id), signal).then((outcome) => {
        done.push(id);
        return outcome;
      });
    const cancel = new AbortController();
    const first = track('a');
    const dropped = track('b', cancel.signal);
    const third = track('c');
    cancel.abort(new Error('stopped'));
    await expect(dropped).rejects.toThrow('stopped');
    const [a, c] = await Promise.all([first, third]);
    expect(done).toEqual(['a', 'c']);
    expect(a).toMatchObject({ type: 'trained', metrics: { coverage: expect.any(Number) } });
    expect(c).toEqual(a);
    await pool.close();
    await expect(pool.run(job('d'), new AbortController().signal)).rejects.toThrow('closed');
  }, 30_000);

  it('reports a job the engine cannot read as a crash, and the next job still runs', async () => {
    const pool = new TrainingPool({ size: 1 });
    const bad = await pool.run({ ...job('bad'), interactions: { fd: 1_000_000, kinds: {} } }, new AbortController().signal);
    expect(bad).toMatchObject({ type: 'crashed', message: expect.stringContaining('EBADF') });
    expect((await pool.run(job('good'), new AbortController().signal)).type).toBe('trained');
    await pool.close();
  }, 30_000);
});
