import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Fixture, type S3Fixture } from './s3-helpers.ts';

const MiB = 1024 * 1024;

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('S3 multipart uploads over HTTP', () => {
  let f: S3Fixture;
  beforeAll(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: 'big' }));
  });
  afterAll(async () => f.stop());

  it('streams a file bigger than 5 MiB through lib-storage and back byte-identical, surviving a restart', async () => {
    const bytes = Buffer.alloc(12 * MiB + 12344);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    const file = join(f.stateDir, 'big.bin');
    writeFileSync(file, bytes);
    const done = await new Upload({ client: f.s3, params: { Bucket: 'big', Key: 'data/big.bin', Body: createReadStream(file) } }).done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    await f.restart();
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'data/big.bin' }));
    expect(got.ContentLength).toBe(bytes.length);
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(bytes));
  });

  it('computes the md5-of-md5s ETag and enforces part rules', async () => {
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'parts', ContentType: 'text/plain' }));
    const small = Buffer.from('tiny part');
    const p1 = await f.s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'parts', UploadId, PartNumber: 1, Body: small }));
    const p2 = await f.s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'parts', UploadId, PartNumber: 2, Body: small }));
    const tooSmall = await errorOf(
      f.s3.send(new CompleteMultipartUploadCommand({ Bucket: 'big', Key: 'parts', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } })),
    );
    expect(tooSmall.name).toBe('EntityTooSmall');
    const wrongEtag = await errorOf(
      f.s3.send(new CompleteMultipartUploadCommand({ Bucket: 'big', Key: 'parts', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] } })),
    );
    expect(wrongEtag.name).toBe('InvalidPart');
    const done = await f.s3.send(new CompleteMultipartUploadCommand({ Bucket: 'big', Key: 'parts', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }] } }));
    const partMd5 = createHash('md5').update(small).digest();
    expect(done.ETag).toBe(`"${createHash('md5').update(partMd5).digest('hex')}-1"`);
    const got = await f.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'parts' }));
    expect(await got.Body?.transformToString()).toBe('tiny part');
    expect(got.ContentType).toBe('text/plain');
    const reused = await errorOf(f.s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'parts', UploadId, PartNumber: 3, Body: small })));
    expect(reused.name).toBe('NoSuchUpload');
  });

  it('aborts an upload', async () => {
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'aborted' }));
    await f.s3.send(new UploadPartCommand({ Bucket: 'big', Key: 'aborted', UploadId, PartNumber: 1, Body: 'x' }));
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: 'big', Key: 'aborted', UploadId }));
    expect((await errorOf(f.s3.send(new AbortMultipartUploadCommand({ Bucket: 'big', Key: 'aborted', UploadId })))).name).toBe('NoSuchUpload');
    expect((await errorOf(f.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'aborted' })))).name).toBe('NoSuchKey');
  });
});
