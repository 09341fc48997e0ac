import { send } from '../http.ts';
import { stageBody } from './body.ts';
import { failure, isFailure, type S3Failure } from './errors.ts';
import { MAX_PART_NUMBER, type RequestedPart } from './multipart.ts';
import { writeCondition } from './object-handlers.ts';
import { readSmallBody, sendXml, userMetadata, type S3Request } from './request.ts';
import { element, elementBlocks, elementTexts } from './xml.ts';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function noSuchUpload(r: S3Request): S3Failure {
  return failure('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { key: r.key });
}

export function createMultipartUpload(r: S3Request): S3Failure | void {
  if (!r.store.hasBucket(r.bucket)) return failure('NoSuchBucket', 'The specified bucket does not exist', { bucket: r.bucket });
  const props = { contentType: String(r.req.headers['content-type'] ?? 'binary/octet-stream'), metadata: userMetadata(r.req) };
  const upload = r.uploads.create(r.bucket, r.key, props);
  sendXml(r, `<InitiateMultipartUploadResult ${NS}>${element('Bucket', r.bucket)}${element('Key', r.key)}${element('UploadId', upload.uploadId)}</InitiateMultipartUploadResult>`);
}

export async function uploadPart(r: S3Request): Promise<S3Failure | void> {
  const uploadId = r.query.get('uploadId') ?? '';
  const partNumber = Number(r.query.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    return failure('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
  }
  if (!r.uploads.get(uploadId, r.bucket, r.key)) return noSuchUpload(r);
  const staged = await stageBody(r.req, r.store.tmpDir);
  if (isFailure(staged)) return staged;
  const part = r.uploads.putPart(uploadId, partNumber, staged);
  if (!part) return noSuchUpload(r);
  const checksum = staged.checksum ? { [`x-amz-checksum-${staged.checksum.algorithm}`]: staged.checksum.value } : {};
  send(r.res, 200, { etag: part.etag, 'x-amz-request-id': r.requestId, ...checksum });
}

export async function completeMultipartUpload(r: S3Request): Promise<S3Failure | void> {
  const uploadId = r.query.get('uploadId') ?? '';
  const upload = r.uploads.get(uploadId, r.bucket, r.key);
  if (!upload) return noSuchUpload(r);
  const condition = writeCondition(r);
  if (isFailure(condition)) return condition;
  const body = await readSmallBody(r.req, 4 * 1024 * 1024);
  if (isFailure(body)) return body;
  if (!body.includes('<CompleteMultipartUpload')) return failure('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  const requested: RequestedPart[] = [];
  for (const block of elementBlocks(body, 'Part')) {
    const partNumber = Number(elementTexts(block, 'PartNumber')[0]);
    const etag = elementTexts(block, 'ETag')[0];
    if (!Number.isInteger(partNumber) || etag === undefined) return failure('MalformedXML', 'Every Part needs a PartNumber and an ETag');
    requested.push({ partNumber, etag });
  }
  const assembled = await r.uploads.assemble(uploadId, requested, r.store.tmpDir);
  if (isFailure(assembled)) return { ...assembled, key: r.key };
  const meta = r.store.commit(r.bucket, r.key, assembled.staged, upload.props, condition, assembled.etag);
  if (isFailure(meta)) return meta;
  r.uploads.remove(uploadId);
  sendXml(
    r,
    `<CompleteMultipartUploadResult ${NS}>${element('Location', `/${r.bucket}/${r.key}`)}${element('Bucket', r.bucket)}${element('Key', r.key)}${element('ETag', meta.etag)}</CompleteMultipartUploadResult>`,
  );
}

export function abortMultipartUpload(r: S3Request): S3Failure | void {
  const uploadId = r.query.get('uploadId') ?? '';
  if (!r.uploads.get(uploadId, r.bucket, r.key)) return noSuchUpload(r);
  r.uploads.remove(uploadId);
  send(r.res, 204, { 'x-amz-request-id': r.requestId });
}
