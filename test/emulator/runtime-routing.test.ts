import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { startHarness, type Harness } from './personalize-helpers.ts';
import { errorName, runtimeClients } from './runtime-helpers.ts';

describe('runtime routing beside S3', () => {
  let h: Harness;
  let clients: ReturnType<typeof runtimeClients>;
  beforeAll(async () => {
    h = await startHarness();
    clients = runtimeClients(h.emu);
  });
  afterAll(async () => {
    clients?.destroy();
    await h?.dispose();
  });

  it('keeps buckets named like runtime paths working (path-style)', async () => {
    for (const bucket of ['events', 'items', 'users', 'recommendations']) {
      await h.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await h.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.json', Body: '{"x":1}', ContentType: 'application/json' }));
      const got = await h.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.json' }));
      expect(await got.Body?.transformToString()).toBe('{"x":1}');
      await h.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'a.json' }] } }));
      expect((await h.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount ?? 0).toBe(0);
    }
  });

  it('sends runtime calls to the runtime', async () => {
    const call = clients.events.send(new PutEventsCommand({ trackingId: 'unknown', sessionId: 's', eventList: [{ eventType: 'click', itemId: 'i', sentAt: new Date() }] }));
    expect(await errorName(call)).toBe('ResourceNotFoundException');
  });
});
