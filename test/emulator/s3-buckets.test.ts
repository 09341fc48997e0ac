import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startS3Fixture, type S3Fixture } from './s3-helpers.ts';

async function putMany(f: S3Fixture, bucket: string, keys: readonly string[]): Promise<void> {
  const queue = [...keys];
  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) await f.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe('S3 buckets and listings over HTTP', () => {
  let f: S3Fixture;
  beforeAll(async () => {
    f = await startS3Fixture();
  });
  afterAll(async () => f.stop());

  it('creates, finds, lists and deletes buckets', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    const again = await errorOf(f.s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' })));
    expect(again.name).toBe('BucketAlreadyOwnedByYou');
    expect(again.$metadata.httpStatusCode).toBe(409);
    await f.s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect((await f.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('alpha-bucket');
    await f.s3.send(new DeleteBucketCommand({ Bucket: 'alpha-bucket' }));
    const head = await errorOf(f.s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
    expect((await errorOf(f.s3.send(new DeleteBucketCommand({ Bucket: 'alpha-bucket' })))).name).toBe('NoSuchBucket');
  });

  it.each(['ab', 'Upper-Case', 'has_underscore', '-leading', 'a..b', '192.168.1.1', 'x'.repeat(64)])('rejects the bucket name %s', async (name) => {
    const err = await errorOf(f.s3.send(new CreateBucketCommand({ Bucket: name })));
    expect(err.name).toBe('InvalidBucketName');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses to delete a non-empty bucket', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'k', Body: 'v' }));
    const err = await errorOf(f.s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    expect(err.name).toBe('BucketNotEmpty');
    expect(err.$metadata.httpStatusCode).toBe(409);
    const deleted = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'full-bucket', Delete: { Objects: [{ Key: 'k' }, { Key: 'never-existed' }] } }));
    expect(deleted.Deleted?.map((d) => d.Key)).toEqual(['k', 'never-existed']);
    await f.s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' }));
  });

  it('paginates ListObjectsV2 over more than 1000 keys', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = Array.from({ length: 1010 }, (_, i) => `k/${String(i).padStart(5, '0')}`);
    await putMany(f, 'many', [...keys, 'other/x']);
    const first = await f.s3.send(new ListObjectsV2Command({ Bucket: 'many', Prefix: 'k/' }));
    expect(first.KeyCount).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await f.s3.send(new ListObjectsV2Command({ Bucket: 'many', Prefix: 'k/', MaxKeys: 250, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      expect(page.KeyCount).toBe(page.Contents?.length);
      token = page.NextContinuationToken;
      expect(Boolean(token)).toBe(page.IsTruncated);
      pages += 1;
    } while (token);
    expect(pages).toBe(5);
    expect(seen).toEqual(keys);
  });

  it('rolls keys up into common prefixes with a delimiter, across pages', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'tree' }));
    await putMany(f, 'tree', ['a/1', 'a/2', 'b/1', 'c', 'd/x/1', 'e']);
    const all = await f.s3.send(new ListObjectsV2Command({ Bucket: 'tree', Delimiter: '/' }));
    expect(all.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/', 'd/']);
    expect(all.Contents?.map((c) => c.Key)).toEqual(['c', 'e']);
    expect(all.KeyCount).toBe(5);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await f.s3.send(new ListObjectsV2Command({ Bucket: 'tree', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''), ...(page.Contents ?? []).map((c) => c.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(['a/', 'b/', 'c', 'd/', 'e']);
    const after = await f.s3.send(new ListObjectsV2Command({ Bucket: 'tree', StartAfter: 'c' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['d/x/1', 'e']);
  });

  it('rejects a forged continuation token', async () => {
    const err = await errorOf(f.s3.send(new ListObjectsV2Command({ Bucket: 'tree', ContinuationToken: 'garbage' })));
    expect(err.name).toBe('InvalidArgument');
  });

  it('answers unknown operations with NotImplemented 501 in S3 error XML', async () => {
    const res = await fetch(`${f.emu.url}/tree?policy`, { method: 'GET' });
    expect(res.status).toBe(501);
    const body = await res.text();
    expect(body).toContain('<Code>NotImplemented</Code>');
    expect(body).toMatch(/<RequestId>[^<]+<\/RequestId>/);
  });
});
