import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { countObjects, deleteObjectsUnder } from '../../src/destroy/index.ts';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';

describe('emptying a bucket before its stack goes', () => {
  let emu: RunningEmulator;
  let clients: Clients;
  beforeAll(async () => {
    emu = await startEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'poc-empty-')), durations: ZERO_DURATIONS });
    clients = createClients({ region: 'us-east-1', endpoint: emu.url });
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = [...Array.from({ length: 25 }, (_, i) => `poc/data/${String(i).padStart(4, '0')}.csv`), 'other/a.csv', 'other/b.csv'];
    await Promise.all(keys.map((Key) => clients.s3.send(new PutObjectCommand({ Bucket: 'many', Key, Body: 'x' }))));
  }, 60_000);
  afterAll(async () => {
    clients.destroy();
    await emu.close();
  });

  it('deletes every object under a prefix across pages and batches, and nothing else', async () => {
    // Pages of 10: three List pages and three DeleteObjects calls, as 1000 are for a big bucket.
    expect(await countObjects(clients.s3, 'many', 'poc/', { batch: 10 })).toBe(25);
    expect(await deleteObjectsUnder(clients.s3, 'many', 'poc/', { batch: 10 })).toBe(25);
    expect(await countObjects(clients.s3, 'many', '')).toBe(2);
    expect(await deleteObjectsUnder(clients.s3, 'many', '')).toBe(2);
    expect(await countObjects(clients.s3, 'many', '')).toBe(0);
  });

  it('finds nothing to delete in a bucket that does not exist', async () => {
    expect(await countObjects(clients.s3, 'gone-bucket', '')).toBe(0);
    expect(await deleteObjectsUnder(clients.s3, 'gone-bucket', '')).toBe(0);
  });
});
