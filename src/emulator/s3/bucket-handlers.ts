import { send } from '../http.ts';
import { bucketNameProblem } from './bucket-name.ts';
import { failure, isFailure, type S3Failure } from './errors.ts';
import { listPage } from './list.ts';
import { isoDate, readSmallBody, sendXml, type S3Request } from './request.ts';
import { element, elementBlocks, elementTexts } from './xml.ts';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
/** S3 caps DeleteObjects at 1000 keys per request. */
const MAX_DELETE_KEYS = 1000;

function noSuchBucket(r: S3Request): S3Failure {
  return failure('NoSuchBucket', 'The specified bucket does not exist', { bucket: r.bucket });
}

export function listBuckets(r: S3Request): void {
  const buckets = r.store
    .bucketNames()
    .map((name) => `<Bucket>${element('Name', name)}${element('CreationDate', isoDate(r.store.bucketCreatedAt(name) ?? 0))}</Bucket>`)
    .join('');
  sendXml(r, `<ListAllMyBucketsResult ${NS}><Owner><ID>emulator</ID><DisplayName>emulator</DisplayName></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`);
}

export function createBucket(r: S3Request): S3Failure | void {
  const problem = bucketNameProblem(r.bucket);
  if (problem) return failure('InvalidBucketName', `The specified bucket is not valid: ${problem}`, { bucket: r.bucket });
  if (r.store.createBucket(r.bucket) === 'exists') {
    return failure('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { bucket: r.bucket });
  }
  send(r.res, 200, { location: `/${r.bucket}`, 'x-amz-request-id': r.requestId });
}

export function headBucket(r: S3Request): S3Failure | void {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  send(r.res, 200, { 'x-amz-bucket-region': r.region, 'x-amz-request-id': r.requestId });
}

export function getBucketLocation(r: S3Request): S3Failure | void {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  // us-east-1 is reported as an empty constraint, as S3 does.
  sendXml(r, `<LocationConstraint ${NS}>${r.region === 'us-east-1' ? '' : r.region}</LocationConstraint>`);
}

export function deleteBucket(r: S3Request): S3Failure | void {
  const outcome = r.store.deleteBucket(r.bucket);
  if (outcome === 'not-found') return noSuchBucket(r);
  if (outcome === 'not-empty') return failure('BucketNotEmpty', 'The bucket you tried to delete is not empty', { bucket: r.bucket });
  send(r.res, 204, { 'x-amz-request-id': r.requestId });
}

/** ListObjectsV2 (`list-type=2`) and the original ListObjects, which differ only in paging fields. */
export function listObjects(r: S3Request): S3Failure | void {
  const keys = r.store.keys(r.bucket);
  if (!keys) return noSuchBucket(r);
  const v2 = r.query.get('list-type') === '2';
  const rawMax = r.query.get('max-keys');
  const maxKeys = rawMax === null ? 1000 : Number(rawMax);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) return failure('InvalidArgument', 'Provided max-keys not an integer or within integer range');
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const startAfter = (v2 ? r.query.get('start-after') : r.query.get('marker')) ?? '';
  const token = v2 ? r.query.get('continuation-token') : null;
  const page = listPage(keys, { prefix, delimiter, maxKeys: Math.min(maxKeys, 1000), startAfter, ...(token !== null ? { continuationToken: token } : {}) });
  if (page === 'bad-token') return failure('InvalidArgument', 'The continuation token provided is incorrect');
  const urlEncoded = r.query.get('encoding-type') === 'url';
  const enc = (s: string): string => (urlEncoded ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const contents = page.keys
    .map((key) => {
      const meta = r.store.get(r.bucket, key);
      return `<Contents>${element('Key', enc(key))}${element('LastModified', isoDate(meta?.lastModified ?? 0))}${element('ETag', meta?.etag)}${element('Size', meta?.size ?? 0)}<StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const commons = page.commonPrefixes.map((p) => `<CommonPrefixes>${element('Prefix', enc(p))}</CommonPrefixes>`).join('');
  const paging = v2
    ? element('KeyCount', page.keys.length + page.commonPrefixes.length) +
      (token !== null ? element('ContinuationToken', token) : '') +
      element('NextContinuationToken', page.nextToken) +
      (startAfter !== '' ? element('StartAfter', enc(startAfter)) : '')
    : element('Marker', enc(startAfter)) + (page.isTruncated && delimiter !== '' ? element('NextMarker', page.last !== undefined ? enc(page.last) : undefined) : '');
  sendXml(
    r,
    `<ListBucketResult ${NS}>${element('Name', r.bucket)}${element('Prefix', enc(prefix))}` +
      (delimiter !== '' ? element('Delimiter', enc(delimiter)) : '') +
      `${element('MaxKeys', maxKeys)}${urlEncoded ? element('EncodingType', 'url') : ''}${element('IsTruncated', page.isTruncated)}${paging}${contents}${commons}</ListBucketResult>`,
  );
}

/** DeleteObjects (`POST /{bucket}?delete`): absent keys count as deleted, as in S3. */
export async function deleteObjects(r: S3Request): Promise<S3Failure | void> {
  if (!r.store.hasBucket(r.bucket)) return noSuchBucket(r);
  const body = await readSmallBody(r.req, 2 * 1024 * 1024);
  if (isFailure(body)) return body;
  const objects = elementBlocks(body, 'Object');
  if (!body.includes('<Delete') || objects.length === 0) return failure('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  if (objects.length > MAX_DELETE_KEYS) return failure('MalformedXML', `DeleteObjects accepts at most ${MAX_DELETE_KEYS} keys`);
  const quiet = elementTexts(body, 'Quiet')[0] === 'true';
  const deleted: string[] = [];
  for (const block of objects) {
    const key = elementTexts(block, 'Key')[0];
    if (key === undefined) return failure('MalformedXML', 'Every Object in a Delete request needs a Key');
    r.store.delete(r.bucket, key);
    deleted.push(key);
  }
  const entries = quiet ? '' : deleted.map((key) => `<Deleted>${element('Key', key)}</Deleted>`).join('');
  sendXml(r, `<DeleteResult ${NS}>${entries}</DeleteResult>`);
}
