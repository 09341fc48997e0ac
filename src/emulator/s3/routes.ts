import type { S3Request, S3Handler } from './request.ts';
import { createBucket, deleteBucket, deleteObjects, getBucketLocation, headBucket, listBuckets, listObjects } from './bucket-handlers.ts';
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart } from './multipart-handlers.ts';
import { deleteObject, getObject, putObject } from './object-handlers.ts';

/** Sub-resources S3 has but this emulator does not: they answer NotImplemented, never a wrong success. */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'logging', 'metadataConfiguration', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy',
  'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'tagging',
  'torrent', 'versionId', 'versioning', 'versions', 'website', 'session', 'renameObject',
];

/** The operation a request names, or undefined when it is one the emulator does not implement. */
export function routeOf(r: Pick<S3Request, 'bucket' | 'key' | 'query' | 'req'>): S3Handler | undefined {
  const method = r.req.method ?? 'GET';
  const q = r.query;
  if (UNSUPPORTED_SUBRESOURCES.some((name) => q.has(name))) return undefined;
  if (r.bucket === '') return method === 'GET' ? listBuckets : undefined;
  if (r.key === '') {
    if (q.has('uploads')) return undefined;
    switch (method) {
      case 'PUT':
        return createBucket;
      case 'HEAD':
        return headBucket;
      case 'DELETE':
        return deleteBucket;
      case 'GET':
        return q.has('location') ? getBucketLocation : listObjects;
      case 'POST':
        return q.has('delete') ? deleteObjects : undefined;
      default:
        return undefined;
    }
  }
  const copy = r.req.headers['x-amz-copy-source'] !== undefined;
  switch (method) {
    case 'PUT':
      if (copy) return undefined;
      return q.has('uploadId') ? uploadPart : putObject;
    case 'GET':
    case 'HEAD':
      return q.has('uploadId') ? undefined : getObject;
    case 'DELETE':
      return q.has('uploadId') ? abortMultipartUpload : deleteObject;
    case 'POST':
      if (q.has('uploads')) return createMultipartUpload;
      return q.has('uploadId') ? completeMultipartUpload : undefined;
    default:
      return undefined;
  }
}
