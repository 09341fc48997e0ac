import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../http.ts';
import { element, XML_DECLARATION } from './xml.ts';

/** The S3 error codes this emulator answers with; each has one HTTP status. */
export type S3ErrorCode =
  | 'BadDigest'
  | 'BucketAlreadyOwnedByYou'
  | 'BucketNotEmpty'
  | 'EntityTooSmall'
  | 'IncompleteBody'
  | 'InternalError'
  | 'InvalidArgument'
  | 'InvalidBucketName'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'InvalidRange'
  | 'InvalidRequest'
  | 'InvalidURI'
  | 'KeyTooLongError'
  | 'MalformedXML'
  | 'MethodNotAllowed'
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'NoSuchUpload'
  | 'NotImplemented'
  | 'PreconditionFailed';

const STATUS: Record<S3ErrorCode, number> = {
  BadDigest: 400,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
};

/** An S3 error as a value; `bucket`/`key` are echoed in the XML body like S3 does. */
export interface S3Failure {
  readonly code: S3ErrorCode;
  readonly message: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly condition?: string;
}

export function failure(code: S3ErrorCode, message: string, extra: Omit<S3Failure, 'code' | 'message'> = {}): S3Failure {
  return { code, message, ...extra };
}

export function isFailure(value: unknown): value is S3Failure {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && typeof (value as S3Failure).code === 'string' && (value as S3Failure).code in STATUS;
}

export function sendFailure(req: IncomingMessage, res: ServerResponse, requestId: string, f: S3Failure): void {
  const headers = { 'content-type': 'application/xml', 'x-amz-request-id': requestId };
  // HEAD answers carry no body; the SDK maps the bare status (404 -> NotFound).
  if (req.method === 'HEAD') return send(res, STATUS[f.code], headers);
  const body =
    XML_DECLARATION +
    '<Error>' +
    element('Code', f.code) +
    element('Message', f.message) +
    element('BucketName', f.bucket) +
    element('Key', f.key) +
    element('Condition', f.condition) +
    element('RequestId', requestId) +
    element('HostId', requestId) +
    '</Error>';
  send(res, STATUS[f.code], headers, body);
}
