import { DeleteObjectsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from './errors.ts';

/** DeleteObjects takes at most this many keys, as does a ListObjectsV2 page. */
const MAX_BATCH = 1000;

/** `batch`: keys per List page and per DeleteObjects call, at most (and by default) 1000. */
export interface BucketCallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly batch?: number;
}

function callOptions(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}

/** Keys under `prefix` (`''`: the whole bucket), a page at a time; none when the bucket is gone. */
async function* keysUnder(s3: S3Client, bucket: string, prefix: string, options: BucketCallOptions): AsyncGenerator<string[]> {
  const maxKeys = Math.min(MAX_BATCH, options.batch ?? MAX_BATCH);
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: maxKeys, ...(token === undefined ? {} : { ContinuationToken: token }) }), callOptions(options.signal));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    if (keys.length > 0) yield keys;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/** How many objects are under `prefix` in `bucket` (0 when the bucket does not exist). */
export async function countObjects(s3: S3Client, bucket: string, prefix: string, options: BucketCallOptions = {}): Promise<number> {
  let n = 0;
  for await (const keys of keysUnder(s3, bucket, prefix, options)) n += keys.length;
  return n;
}

/**
 * Deletes every object under `prefix` (`''`: all of them, which CloudFormation needs before it can
 * delete a bucket it made) a page at a time, and returns how many went. A missing bucket has
 * nothing to delete. Keys a batch reports as not deleted make it throw, naming the first.
 */
export async function deleteObjectsUnder(s3: S3Client, bucket: string, prefix: string, options: BucketCallOptions = {}): Promise<number> {
  let n = 0;
  for await (const keys of keysUnder(s3, bucket, prefix, options)) {
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), callOptions(options.signal));
    const failed = out.Errors?.[0];
    if (failed !== undefined) throw new Error(`could not delete s3://${bucket}/${failed.Key ?? ''}: ${failed.Code ?? ''} ${failed.Message ?? ''}`.trim());
    n += keys.length;
  }
  return n;
}
