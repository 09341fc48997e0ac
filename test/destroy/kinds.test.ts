import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { copyEcommerceExample } from '../cli/ecommerce-example.ts';
import { runCli, startTestEmulator } from '../cli/harness.ts';
import { batchPocDir, everyBatchKindManifest } from '../resources/batch-fixture.ts';
import { leftovers } from './leftovers.ts';

describe('destroy covers every kind', () => {
  let emu: RunningEmulator;
  let clients: Clients;
  const dirs: string[] = [];

  beforeAll(async () => {
    emu = await startTestEmulator();
    clients = createClients({ region: 'us-east-1', endpoint: emu.url });
  });
  afterAll(async () => {
    clients.destroy();
    await emu.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function applyThenDestroy(dir: string, pocName: string, expectKinds: readonly string[]): Promise<void> {
    dirs.push(dir);
    const cli = (...argv: string[]) => runCli([...argv, '--endpoint', emu.url], { cwd: dir });
    const apply = await cli('apply', '--yes');
    expect(apply.code, apply.stderr).toBe(0);
    const before = await leftovers(clients, pocName);
    for (const kind of expectKinds) expect(before.some((l) => l.startsWith(`${kind} `)), `${kind} in ${before.join('\n')}`).toBe(true);

    const run = await cli('destroy', '--yes');
    expect(run.code, run.stderr).toBe(0);
    // Batch jobs have no Delete API; the emulator keeps them listed as history once their
    // solution is gone (whether the service does is unverified): they are all that may remain.
    const left = await leftovers(clients, pocName);
    expect(left.filter((l) => !/^batch(Inference|Segment)Job /.test(l))).toEqual([]);
    expect((await cli('destroy', '--yes')).stdout).toBe(`Nothing to destroy: nothing owned by ${pocName} exists in us-east-1.\n`);
  }

  it('batch jobs, filters and a metric attribution', async () => {
    // Every kind the example poc.yaml leaves out: batch jobs (no Delete API: they go with their group) and a metric attribution.
    await applyThenDestroy(batchPocDir(everyBatchKindManifest('batchdestroy')), 'batchdestroy', ['batchInferenceJob', 'batchSegmentJob', 'metricAttribution', 'filter', 'solution']);
  }, 120_000);

  it('recommenders of a domain dataset group (examples/ecommerce)', async () => {
    await applyThenDestroy(copyEcommerceExample(), 'shop-poc', ['recommender', 'datasetGroup']);
  }, 120_000);
});
