import { pipeline } from 'node:stream/promises';
import { send } from '../http.ts';
import { stageBody } from './body.ts';
import { failure, isFailure, type S3Failure } from './errors.ts';
import { parseRange } from './range.ts';
import { httpDate, userMetadata, type S3Request } from './request.ts';
import { etagMatches, type ObjectMeta } from './store.ts';

/** S3's single-request object limit (PutObject); larger objects must be uploaded in parts. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

function noSuchBucket(r: S3Request): S3Failure {
  return failure('NoSuchBucket', 'The specified bucket does not exist', { bucket: r.bucket });
}

function noSuchKey(r: S3Request): S3Failure {
  return failure('NoSuchKey', 'The specified key does not exist.', { key: r.key });
}

/** Checks `If-None-Match` (only `*` is supported, as in S3) before the body is read. */
export function writeCondition(r: S3Request): { ifNoneMatch?: string; ifMatch?: string } | S3Failure {
  const ifNoneMatch = r.req.headers['if-none-match'];
  const ifMatch = r.req.headers['if-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') return failure('NotImplemented', 'If-None-Match on writes supports only "*"');
  return { ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) };
}

export async function putObject(r: S3Request): Promise<S3Failure | void> {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  const condition = writeCondition(r);
  if (isFailure(condition)) return condition;
  // Fail fast before receiving the bytes; the commit re-checks, so racing writers stay correct.
  const existing = r.store.get(r.bucket, r.key);
  if (condition.ifNoneMatch !== undefined && existing) {
    return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key: r.key, condition: 'If-None-Match' });
  }
  const declared = Number(r.req.headers['x-amz-decoded-content-length'] ?? r.req.headers['content-length'] ?? 0);
  if (declared > MAX_PUT_BYTES) return failure('InvalidArgument', 'Your proposed upload exceeds the maximum allowed object size.', { key: r.key });
  const staged = await stageBody(r.req, r.store.tmpDir);
  if (isFailure(staged)) return staged;
  const props = { contentType: String(r.req.headers['content-type'] ?? 'binary/octet-stream'), metadata: userMetadata(r.req) };
  const meta = r.store.commit(r.bucket, r.key, staged, props, condition);
  if (isFailure(meta)) return meta;
  send(r.res, 200, { etag: meta.etag, 'x-amz-request-id': r.requestId, ...checksumHeaders(meta) });
}

function checksumHeaders(meta: ObjectMeta): Record<string, string> {
  return meta.checksum ? { [`x-amz-checksum-${meta.checksum.algorithm}`]: meta.checksum.value } : {};
}

function objectHeaders(r: S3Request, meta: ObjectMeta): Record<string, string> {
  const headers: Record<string, string> = {
    etag: meta.etag,
    'last-modified': httpDate(meta.lastModified),
    'content-type': meta.contentType,
    'accept-ranges': 'bytes',
    'x-amz-request-id': r.requestId,
  };
  for (const [name, value] of Object.entries(meta.metadata)) headers[`x-amz-meta-${name}`] = value;
  const override = r.query.get('response-content-type');
  if (override) headers['content-type'] = override;
  return headers;
}

/** GetObject/HeadObject preconditions: 412 for If-Match/If-Unmodified-Since, 304 for the others. */
function readCondition(r: S3Request, meta: ObjectMeta): 304 | S3Failure | undefined {
  const h = r.req.headers;
  const modified = Math.floor(meta.lastModified / 1000) * 1000;
  if (h['if-match'] !== undefined && !etagMatches(h['if-match'], meta.etag)) {
    return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key: r.key, condition: 'If-Match' });
  }
  if (h['if-match'] === undefined && h['if-unmodified-since'] !== undefined && modified > Date.parse(h['if-unmodified-since'])) {
    return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key: r.key, condition: 'If-Unmodified-Since' });
  }
  if (h['if-none-match'] !== undefined) return etagMatches(h['if-none-match'], meta.etag) ? 304 : undefined;
  if (h['if-modified-since'] !== undefined && modified <= Date.parse(h['if-modified-since'])) return 304;
  return undefined;
}

export async function getObject(r: S3Request): Promise<S3Failure | void> {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  const meta = r.store.get(r.bucket, r.key);
  if (!meta) return noSuchKey(r);
  const condition = readCondition(r, meta);
  if (isFailure(condition)) return condition;
  const headers = objectHeaders(r, meta);
  if (condition === 304) return send(r.res, 304, { etag: meta.etag, 'last-modified': headers['last-modified'] ?? '', 'x-amz-request-id': r.requestId });
  const range = parseRange(r.req.headers.range, meta.size);
  if (range === 'unsatisfiable') {
    return failure('InvalidRange', 'The requested range is not satisfiable', { key: r.key });
  }
  const head = r.req.method === 'HEAD';
  if (range === 'whole') {
    // A whole-object read may carry the stored checksum so the SDK can verify end to end.
    const wantsChecksum = String(r.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
    r.res.writeHead(200, { ...headers, ...(wantsChecksum ? checksumHeaders(meta) : {}), 'content-length': String(meta.size) });
    if (head) return void r.res.end();
    return stream(r, meta);
  }
  r.res.writeHead(206, {
    ...headers,
    'content-range': `bytes ${range.start}-${range.end}/${meta.size}`,
    'content-length': String(range.end - range.start + 1),
  });
  if (head) return void r.res.end();
  return stream(r, meta, range);
}

async function stream(r: S3Request, meta: ObjectMeta, range?: { start: number; end: number }): Promise<void> {
  if (meta.size === 0) return void r.res.end();
  try {
    await pipeline(r.store.open(meta, range), r.res);
  } catch {
    // The client went away mid-download; nothing left to answer.
    r.res.destroy();
  }
}

export function deleteObject(r: S3Request): S3Failure | void {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  const ifMatch = r.req.headers['if-match'];
  const meta = r.store.get(r.bucket, r.key);
  if (ifMatch !== undefined) {
    if (!meta) return noSuchKey(r);
    if (!etagMatches(ifMatch, meta.etag)) {
      return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key: r.key, condition: 'If-Match' });
    }
  }
  r.store.delete(r.bucket, r.key);
  send(r.res, 204, { 'x-amz-request-id': r.requestId });
}
