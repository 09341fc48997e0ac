import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import { orUndefined } from './errors.ts';
import type { KindContext } from './kind.ts';

/** User metadata the upload kind writes on the objects it creates (`x-amz-meta-sha256`). */
export const META_SHA256 = 'sha256';

/** `s3://bucket/key` -> its parts (the key may contain slashes); `s3://bucket` has the key `''`. */
export function splitS3Uri(uri: string): { bucket: string; key: string } {
  const rest = uri.replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Whether the S3 object `uri` (an import job's source, recorded by `poc import` as a dataset's
 * `importedFrom`) holds exactly the bytes of the local `file`, whose sha256 is `sha256`. Decided
 * without downloading: the sizes must be equal, and then either the object's `sha256` metadata
 * equals (objects this tool uploaded) or its ETag, which S3 makes the MD5 of the bytes for a
 * single-part upload, equals the file's MD5. A multipart ETag (`<hex>-<parts>`) without that
 * metadata cannot be checked this way and does not match: the data is then uploaded and imported
 * again under its content address, which costs an import but is never wrong. Memoised per run:
 * the upload and the import both ask.
 */
export function adoptedObjectMatches(ctx: KindContext, uri: string, file: string, sha256: string): Promise<boolean> {
  return memo(ctx, `s3:adopted:${uri}:${sha256}`, async () => {
    const { bucket, key } = splitS3Uri(uri);
    const [head, local] = await Promise.all([
      orUndefined(ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signalOf(ctx))),
      stat(file).catch(() => undefined),
    ]);
    if (head === undefined || local === undefined || head.ContentLength !== local.size) return false;
    if (head.Metadata?.[META_SHA256] === sha256) return true;
    const etag = head.ETag?.replace(/"/g, '');
    if (etag === undefined || etag.includes('-')) return false;
    return etag === (await md5Of(file));
  });
}
