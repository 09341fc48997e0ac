import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { EmulatorContext, ObjectReader } from '../context.ts';
import { requestId } from '../http.ts';
import type { S3Service } from '../service.ts';
import { failure, isFailure, sendFailure } from './errors.ts';
import { MultipartStore } from './multipart.ts';
import { parseTarget, type S3Request } from './request.ts';
import { routeOf } from './routes.ts';
import { ObjectStore } from './store.ts';

/** S3 rejects keys longer than 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/**
 * The emulator's S3: path-style REST over objects kept on disk under `<stateDir>/s3/`, plus the
 * in-process {@link ObjectReader} other emulated services use.
 */
export function createS3Service(ctx: Omit<EmulatorContext, 'objects'>): S3Service {
  const root = join(ctx.stateDir, 's3');
  const store = new ObjectStore(root, ctx.now);
  const uploads = new MultipartStore(join(root, 'uploads'), ctx.now);

  const objects: ObjectReader = {
    listKeys: (bucket, prefix) => store.keys(bucket)?.filter((key) => key.startsWith(prefix)),
    openObject: (bucket, key): Readable | undefined => {
      const meta = store.get(bucket, key);
      return meta ? store.open(meta) : undefined;
    },
    writeObject: (bucket, key, body, contentType) => {
      if (!store.hasBucket(bucket)) return false;
      const tmpPath = join(store.tmpDir, randomUUID());
      writeFileSync(tmpPath, body, { flush: true });
      const staged = { tmpPath, size: body.length, md5Hex: createHash('md5').update(body).digest('hex') };
      return !isFailure(store.commit(bucket, key, staged, { contentType, metadata: {} }, {}));
    },
    bucketExists: (bucket) => store.hasBucket(bucket),
    createBucket: (bucket) => void store.createBucket(bucket),
    deleteBucket: (bucket) => {
      // The interface has no error channel: callers check emptiness first (listKeys) and a
      // non-empty bucket is left in place, as S3 would.
      store.deleteBucket(bucket);
    },
  };

  return {
    objects,
    async handle(req, res) {
      const id = requestId();
      const target = parseTarget(req.url ?? '/');
      if (isFailure(target)) return sendFailure(req, res, id, target);
      if (Buffer.byteLength(target.key) > MAX_KEY_BYTES) {
        return sendFailure(req, res, id, failure('KeyTooLongError', 'Your key is too long', { key: target.key }));
      }
      const r: S3Request = { req, res, requestId: id, ...target, store, uploads, region: ctx.region };
      const handler = routeOf(r);
      if (!handler) {
        return sendFailure(req, res, id, failure('NotImplemented', `${req.method ?? 'GET'} ${target.key === '' ? 'on a bucket' : 'on an object'} with these parameters is not implemented by the emulator`));
      }
      const outcome = await handler(r);
      if (outcome) sendFailure(req, res, id, outcome);
    },
    async close() {},
  };
}
