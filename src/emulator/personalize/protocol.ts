import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObjectBody, requestId, send } from '../http.ts';
import { PersonalizeError } from './errors.ts';

/** awsJson1_1 request bodies are small; a cap keeps a bad client from exhausting memory. */
const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The operation name from `X-Amz-Target: AmazonPersonalize.<Op>`. */
export function operationOf(req: IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.slice(target.indexOf('.') + 1);
}

/** The request body as a JSON object; an empty body is `{}` as the SDK sends for no input. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonObjectBody(req, MAX_BODY_BYTES);
  if (typeof body === 'string') throw new PersonalizeError('SerializationException', body);
  return body;
}

export function sendResult(res: ServerResponse, body: object): void {
  send(res, 200, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId() }, JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: PersonalizeError): void {
  send(
    res,
    400,
    { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId(), 'x-amzn-errortype': error.code },
    JSON.stringify({ __type: error.code, message: error.message }),
  );
}

/** Epoch seconds as a JSON number: the only timestamp form the SDK's awsJson parser accepts. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
