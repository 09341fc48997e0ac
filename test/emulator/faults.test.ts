import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateDatasetGroupCommand, DescribeDatasetGroupCommand, ListDatasetGroupsCommand } from '@aws-sdk/client-personalize';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_RETRY } from '../../src/apply/retry.ts';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { PocError } from '../../src/diagnostics/index.ts';
import { parseFaultConfig, startEmulator, ZERO_DURATIONS, type FaultConfig, type RunningEmulator } from '../../src/emulator/index.ts';

const open: { emu: RunningEmulator; clients: Clients; dir: string }[] = [];

async function start(faults: FaultConfig | undefined, dir = mkdtempSync(join(tmpdir(), 'poc-faults-')), retry: 'off' | 'on' = 'off') {
  const emu = await startEmulator({ stateDir: dir, durations: ZERO_DURATIONS, ...(faults === undefined ? {} : { faults }) });
  const clients = createClients({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1, ...(retry === 'on' ? { retry: ENDPOINT_RETRY } : {}) });
  const entry = { emu, clients, dir };
  open.push(entry);
  return entry;
}

async function stop(entry: { emu: RunningEmulator; clients: Clients }): Promise<void> {
  entry.clients.destroy();
  await entry.emu.close();
}

afterEach(async () => {
  for (const entry of open.splice(0)) {
    await stop(entry);
    rmSync(entry.dir, { recursive: true, force: true });
  }
});

const failureOf = async (p: Promise<unknown>): Promise<{ name?: string; status?: number; code?: string }> => {
  const err = (await p.then(() => undefined, (e: unknown) => e)) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(err, 'the call was expected to fail').toBeDefined();
  return { ...(err?.name === undefined ? {} : { name: err.name }), ...(err?.$metadata?.httpStatusCode === undefined ? {} : { status: err.$metadata.httpStatusCode }), ...(err?.code === undefined ? {} : { code: err.code }) };
};

describe('emulator fault injection', () => {
  it('throttles each protocol in its own words, as the SDK classifies them', async () => {
    const { clients, emu } = await start({ throttle: 1 });
    expect((await failureOf(clients.personalize.send(new ListDatasetGroupsCommand({})))).name).toBe('ThrottlingException');
    expect(await failureOf(clients.s3.send(new ListBucketsCommand({})))).toMatchObject({ name: 'SlowDown', status: 503 });
    expect((await failureOf(clients.cloudformation.send(new DescribeStacksCommand({}))))).toMatchObject({ name: 'Throttling' });
    expect(emu.faults.throttle).toBe(3);
  });

  it('answers 500 or 503 and resets connections', async () => {
    const five = await start({ error5xx: 1, seed: 3 });
    const statuses = new Set<number | undefined>();
    for (let i = 0; i < 12; i++) statuses.add((await failureOf(five.clients.personalize.send(new ListDatasetGroupsCommand({})))).status);
    expect([...statuses].sort()).toEqual([500, 503]);
    const reset = await start({ reset: 1 });
    const err = await failureOf(reset.clients.personalize.send(new ListDatasetGroupsCommand({})));
    expect(err.code ?? err.name).toMatch(/ECONNRESET|socket hang up/i);
  });

  it('a fault never reaches the service: a throttled create creates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poc-faults-'));
    const faulty = await start({ throttle: 1 }, dir);
    await failureOf(faulty.clients.personalize.send(new CreateDatasetGroupCommand({ name: 'never' })));
    await stop(faulty);
    open.splice(open.indexOf(faulty), 1);
    const clean = await start(undefined, dir);
    expect((await clean.clients.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups).toEqual([]);
  });

  it('a lost response: the create happened though the client saw the connection drop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poc-faults-'));
    const faulty = await start({ lostResponse: 1 }, dir);
    await failureOf(faulty.clients.personalize.send(new CreateDatasetGroupCommand({ name: 'ghost' })));
    await stop(faulty);
    open.splice(open.indexOf(faulty), 1);
    const clean = await start(undefined, dir);
    expect((await clean.clients.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups?.map((g) => g.name)).toEqual(['ghost']);
  });

  it('holds resources in CREATE PENDING for stuckMs on the wire, then shows the real status', async () => {
    const { clients, emu } = await start({ stuckPending: 1, stuckMs: 400 });
    const { datasetGroupArn } = await clients.personalize.send(new CreateDatasetGroupCommand({ name: 'slow' }));
    const describe = async () => (await clients.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status;
    expect(await describe()).toBe('CREATE PENDING');
    expect((await clients.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups?.[0]?.status).toBe('CREATE PENDING');
    await new Promise((r) => setTimeout(r, 450));
    expect(await describe()).toBe('ACTIVE');
    expect(emu.faults.stuck).toBeGreaterThanOrEqual(2);
  });

  it('adds latency to every request', async () => {
    const { clients } = await start({ latencyMs: 60 });
    const started = Date.now();
    await clients.personalize.send(new ListDatasetGroupsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('with our backoff, reads get through 30% throttling, 10% 5xx and 5% resets', async () => {
    const { clients, emu } = await start({ throttle: 0.3, error5xx: 0.1, reset: 0.05, seed: 42 }, undefined, 'on');
    for (let i = 0; i < 30; i++) expect((await clients.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups).toEqual([]);
    expect(emu.faults.throttle + emu.faults.error5xx + emu.faults.reset).toBeGreaterThan(5);
  });

  it('with our backoff, creates get through throttling, which is a refusal, and each is made once', async () => {
    const { clients, emu } = await start({ throttle: 0.5, seed: 5 }, undefined, 'on');
    for (let i = 0; i < 10; i++) await clients.personalize.send(new CreateDatasetGroupCommand({ name: `g${i}` }));
    expect((await clients.personalize.send(new ListDatasetGroupsCommand({ maxResults: 100 }))).datasetGroups).toHaveLength(10);
    expect(emu.faults.throttle).toBeGreaterThan(3);
  });

  it('the same seed injects the same faults', async () => {
    const run = async () => {
      const { clients } = await start({ throttle: 0.5, seed: 9 });
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) seen.push(await clients.personalize.send(new ListDatasetGroupsCommand({})).then(() => 'ok', () => 'throttled'));
      return seen.join(',');
    };
    const first = await run();
    expect(first).toContain('ok');
    expect(first).toContain('throttled');
    expect(await run()).toBe(first);
  });

  it('rejects a bad POC_EMULATOR_FAULTS with one line naming the key', () => {
    const message = (text: string): string => {
      try {
        parseFaultConfig(text);
        return '';
      } catch (err) {
        expect(err).toBeInstanceOf(PocError);
        return (err as PocError).diagnostics[0]?.message ?? '';
      }
    };
    expect(message('{"throttle":0.1,"error5xx":0.02,"reset":0.01,"latencyMs":5,"stuckPending":0}')).toBe('');
    expect(message('{"throtle":0.1}')).toContain("unknown key 'throtle'");
    expect(message('{"throttle":2}')).toContain("'throttle' must be a number from 0 to 1");
    expect(message('not json')).toContain('not valid JSON');
  });
});
