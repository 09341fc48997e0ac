import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatasetGroupCommand, DescribeDatasetGroupCommand, PersonalizeClient, type Domain } from '@aws-sdk/client-personalize';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator, ZERO_DURATIONS, type Durations, type RunningEmulator } from '../../src/emulator/index.ts';

export interface Harness {
  readonly emu: RunningEmulator;
  readonly personalize: PersonalizeClient;
  readonly s3: S3Client;
  readonly stateDir: string;
  /** Stops the emulator and the clients; the state directory stays (restart tests reuse it). */
  stop(): Promise<void>;
  /** Stops and removes the state directory. */
  dispose(): Promise<void>;
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'poc-personalize-'));
}

export async function startHarness(options: { stateDir?: string; durations?: Partial<Durations> } = {}): Promise<Harness> {
  const stateDir = options.stateDir ?? tempStateDir();
  const emu = await startEmulator({ stateDir, durations: { ...ZERO_DURATIONS, ...options.durations } });
  const common = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  const personalize = new PersonalizeClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    personalize.destroy();
    s3.destroy();
    await emu.close();
  };
  return {
    emu,
    personalize,
    s3,
    stateDir,
    stop,
    async dispose() {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds (or throws after `timeoutMs`); returns the last value read. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Creates a dataset group (in `domain`, when given) and waits until it is ACTIVE; returns its ARN. */
export async function activeGroup(p: PersonalizeClient, name: string, domain?: Domain): Promise<string> {
  const { datasetGroupArn = '' } = await p.send(new CreateDatasetGroupCommand({ name, domain }));
  await waitFor(() => p.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (r) => r.datasetGroup?.status === 'ACTIVE');
  return datasetGroupArn;
}

/** The error an SDK call rejects with, or a failure if it resolves. */
export async function errorOf(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error;
    return { name: e.name, message: e.message };
  }
  throw new Error('expected the call to fail');
}

export const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: ['null', 'string'] },
  ],
  version: '1.0',
});

export const ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRE', type: 'string', categorical: true },
  ],
  version: '1.0',
});

/** Items schema v2: the old fields unchanged plus a nullable one, as UpdateDataset allows. */
export const ITEMS_SCHEMA_V2 = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRE', type: 'string', categorical: true },
    { name: 'PRICE', type: ['null', 'float'] },
  ],
  version: '1.0',
});

/** `rows` interactions with the given header (default: the schema's columns). */
export function interactionsCsv(rows: number, header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'): string {
  const lines = [header];
  for (let i = 0; i < rows; i += 1) lines.push(`u${i % 50},i${i % 97},${1_700_000_000 + i},click`);
  return `${lines.join('\n')}\n`;
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
    if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
  });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}
