import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient, CreateChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';

let emu: RunningEmulator;
let cfn: CloudFormationClient;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'poc-cfn-life-'));
  emu = await startEmulator({ stateDir, durations: { ...ZERO_DURATIONS, stack: 150 } });
  cfn = new CloudFormationClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(async () => {
  cfn.destroy();
  await emu.close();
  rmSync(stateDir, { recursive: true, force: true });
});

it('walks through pending and in-progress phases on its own, without being polled', async () => {
  const created = await cfn.send(
    new CreateChangeSetCommand({ StackName: 'slow', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }) }),
  );
  expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }))).Status).toBe('CREATE_PENDING');
  await sleep(300);
  expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }))).Status).toBe('CREATE_COMPLETE');
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
  expect((await cfn.send(new DescribeStacksCommand({ StackName: 'slow' }))).Stacks?.[0]?.StackStatus).toBe('CREATE_IN_PROGRESS');
  // The bucket appears from the timer alone, before anyone asks CloudFormation again. Only S3 is
  // read while waiting; the deadline is generous because a loaded machine fires timers late.
  const listBuckets = async (): Promise<string[]> => (await fetch(`${emu.url}/`).then((r) => r.text())).match(/<Name>slow-b-[a-z0-9]+<\/Name>/g) ?? [];
  let buckets = await listBuckets();
  for (const deadline = Date.now() + 10_000; buckets.length === 0 && Date.now() < deadline; buckets = await listBuckets()) await sleep(50);
  expect(buckets).toHaveLength(1);
  expect((await cfn.send(new DescribeStacksCommand({ StackName: 'slow' }))).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
});
