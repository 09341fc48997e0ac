import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../http.ts';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.ts';
import { failure, type S3Failure } from './errors.ts';
import type { MultipartStore } from './multipart.ts';
import type { ObjectStore } from './store.ts';
import { XML_DECLARATION } from './xml.ts';

/** One S3 request, addressed path-style (`/{bucket}/{key}`), with the service's state. */
export interface S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  /** Empty for service-level calls (ListBuckets). */
  readonly bucket: string;
  /** Empty for bucket-level calls. */
  readonly key: string;
  readonly query: URLSearchParams;
  readonly store: ObjectStore;
  readonly uploads: MultipartStore;
  readonly region: string;
}

/** A handler answers the request itself on success, or returns the failure to send. */
export type S3Handler = (r: S3Request) => Promise<S3Failure | void> | S3Failure | void;

/**
 * Splits a raw request target into bucket, key and query. The path is decoded by hand rather than
 * through `URL`, which would resolve `.`/`..` segments and collapse characters S3 keeps in keys.
 */
export function parseTarget(url: string): { bucket: string; key: string; query: URLSearchParams } | S3Failure {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  if (!path.startsWith('/')) return failure('InvalidURI', 'Could not parse the specified URI.');
  const slash = path.indexOf('/', 1);
  try {
    const bucket = decodeURIComponent(slash === -1 ? path.slice(1) : path.slice(1, slash));
    const key = slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
    return { bucket, key, query };
  } catch {
    return failure('InvalidURI', 'Could not parse the specified URI.');
  }
}

export function sendXml(r: S3Request, body: string, status = 200): void {
  send(r.res, status, { 'content-type': 'application/xml', 'x-amz-request-id': r.requestId }, XML_DECLARATION + body);
}

/** A small request body (XML documents such as CompleteMultipartUpload), aws-chunked decoded. */
export async function readSmallBody(req: IncomingMessage, limitBytes: number): Promise<string | S3Failure> {
  let source: NodeJS.ReadableStream = req;
  if (isAwsChunked(req.headers)) {
    const decoder = new AwsChunkedDecoder();
    // pipe() does not forward source errors; without this a client abort would hang the read.
    req.once('error', (err) => decoder.destroy(err));
    source = req.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limitBytes) return failure('MalformedXML', 'The XML you provided was too large.');
      chunks.push(chunk);
    }
  } catch (err) {
    return failure('IncompleteBody', `The request body could not be read: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `x-amz-meta-*` request headers as S3 stores them (lower-cased names without the prefix). */
export function userMetadata(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') out[name.slice('x-amz-meta-'.length)] = value;
  }
  return out;
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
