import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startS3Fixture, type S3Fixture } from './s3-helpers.ts';

describe('S3 objects over HTTP', () => {
  let f: S3Fixture;
  beforeAll(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: 'data' }));
  });
  afterAll(async () => f.stop());

  it('stores a Buffer and returns the same bytes, ETag and metadata', async () => {
    const body = Buffer.from('user_id,item_id,timestamp\n1,2,3\n');
    const put = await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'dir/a b+c.csv', Body: body, ContentType: 'text/csv', Metadata: { origin: 'test' } }));
    expect(put.ETag).toBe('"' + (await import('node:crypto')).createHash('md5').update(body).digest('hex') + '"');
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'dir/a b+c.csv' }));
    expect(await got.Body?.transformToString()).toBe(body.toString());
    expect(got.ContentType).toBe('text/csv');
    expect(got.Metadata).toEqual({ origin: 'test' });
    expect(got.ETag).toBe(put.ETag);
    expect(got.ContentLength).toBe(body.length);
  });

  it('decodes an aws-chunked streamed upload of a file', async () => {
    const file = join(f.stateDir, 'upload.bin');
    const bytes = Buffer.alloc(300_000, 0);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 251;
    writeFileSync(file, bytes);
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'streamed.bin', Body: createReadStream(file), ContentLength: bytes.length }));
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'streamed.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  });

  it('serves byte ranges', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'digits', Body: '0123456789' }));
    const mid = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'digits', Range: 'bytes=2-4' }));
    expect(await mid.Body?.transformToString()).toBe('234');
    expect(mid.ContentRange).toBe('bytes 2-4/10');
    const tail = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'digits', Range: 'bytes=-3' }));
    expect(await tail.Body?.transformToString()).toBe('789');
    const err = await errorOf(f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'digits', Range: 'bytes=20-' })));
    expect(err.name).toBe('InvalidRange');
    expect(err.$metadata.httpStatusCode).toBe(416);
  });

  it('refuses a second If-None-Match: * write with 412 and keeps the first object', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'lock', Body: 'first', IfNoneMatch: '*' }));
    const err = await errorOf(f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'lock', Body: 'second', IfNoneMatch: '*' })));
    expect(err.name).toBe('PreconditionFailed');
    expect(err.$metadata.httpStatusCode).toBe(412);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'lock' }));
    expect(await got.Body?.transformToString()).toBe('first');
  });

  it('lets exactly one of many racing If-None-Match: * writers win', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'race', Body: `writer-${i}`, IfNoneMatch: '*' }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('supports If-Match compare-and-swap writes', async () => {
    const first = await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'cas', Body: 'v1' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'cas', Body: 'v2', IfMatch: first.ETag }));
    const stale = await errorOf(f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'cas', Body: 'v3', IfMatch: first.ETag })));
    expect(stale.$metadata.httpStatusCode).toBe(412);
  });

  it('answers HeadObject and reports missing keys and buckets with S3 errors', async () => {
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'digits' }));
    expect(head.ContentLength).toBe(10);
    const missingHead = await errorOf(f.s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'nope' })));
    expect(missingHead.$metadata.httpStatusCode).toBe(404);
    const missing = await errorOf(f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'nope' })));
    expect(missing.name).toBe('NoSuchKey');
    const noBucket = await errorOf(f.s3.send(new GetObjectCommand({ Bucket: 'absent-bucket', Key: 'k' })));
    expect(noBucket.name).toBe('NoSuchBucket');
    expect(noBucket.$metadata.httpStatusCode).toBe(404);
  });

  it('deletes objects (idempotently)', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'gone', Body: 'x' }));
    await f.s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'gone' }));
    await f.s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'gone' }));
    expect((await errorOf(f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'gone' })))).name).toBe('NoSuchKey');
  });

  it('exposes objects to other emulated services through the in-process reader', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'import/part-1.csv', Body: 'a\n' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'import/part-0.csv', Body: 'b\n' }));
    const reader = f.emu.context.objects;
    expect(reader.listKeys('data', 'import/')).toEqual(['import/part-0.csv', 'import/part-1.csv']);
    expect(reader.listKeys('absent-bucket', '')).toBeUndefined();
    expect(await text(reader.openObject('data', 'import/part-1.csv')!)).toBe('a\n');
    expect(reader.openObject('data', 'import/none')).toBeUndefined();
    reader.createBucket('made-in-process');
    expect(reader.bucketExists('made-in-process')).toBe(true);
    reader.deleteBucket('made-in-process');
    expect(reader.bucketExists('made-in-process')).toBe(false);
  });

  it('keeps objects across a restart', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'durable.txt', Body: 'still here' }));
    await f.restart();
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'durable.txt' }));
    expect(await got.Body?.transformToString()).toBe('still here');
    expect(f.emu.context.objects.listKeys('data', 'durable')).toEqual(['durable.txt']);
  });
});

describe('S3 request bodies sent by hand', () => {
  let f: S3Fixture;
  beforeAll(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: 'raw' }));
  });
  afterAll(async () => f.stop());

  const chunked = (payload: string, trailer: string) => `${Buffer.byteLength(payload).toString(16)}\r\n${payload}\r\n0\r\n${trailer}\r\n\r\n`;
  const put = (key: string, body: string, headers: Record<string, string>) => fetch(`${f.emu.url}/raw/${key}`, { method: 'PUT', headers, body });

  it('rejects a corrupted CRC32 trailer with BadDigest and stores nothing', async () => {
    const res = await put('bad-crc', chunked('hello', 'x-amz-checksum-crc32:AAAAAA=='), {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': '5',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>BadDigest</Code>');
    expect(f.emu.context.objects.listKeys('raw', 'bad')).toEqual([]);
  });

  it('accepts a correct trailer and rejects truncated or garbled chunk framing', async () => {
    const ok = await put('good', chunked('hello', 'x-amz-checksum-crc32:NhCmhg=='), {
      'content-encoding': 'aws-chunked',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': '5',
    });
    expect(ok.status).toBe(200);
    expect(await text(f.emu.context.objects.openObject('raw', 'good')!)).toBe('hello');
    for (const body of ['5\r\nhel', 'zz\r\nhello\r\n0\r\n\r\n', '5\r\nhelloXX0\r\n\r\n']) {
      const res = await put('broken', body, { 'content-encoding': 'aws-chunked' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<Code>IncompleteBody</Code>');
    }
    expect(f.emu.context.objects.listKeys('raw', 'broken')).toEqual([]);
  });

  it('rejects malformed multipart completion XML and bad URIs without crashing', async () => {
    const init = await fetch(`${f.emu.url}/raw/mp?uploads`, { method: 'POST' });
    const uploadId = /<UploadId>([^<]+)</.exec(await init.text())?.[1];
    const res = await fetch(`${f.emu.url}/raw/mp?uploadId=${uploadId}`, { method: 'POST', body: '<not xml' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MalformedXML</Code>');
    const badUri = await fetch(`${f.emu.url}/raw/%E0%A4%A`, { method: 'GET' });
    expect(badUri.status).toBe(400);
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: 'raw', Key: 'good' }));
    expect(head.ContentLength).toBe(5);
  });
});
