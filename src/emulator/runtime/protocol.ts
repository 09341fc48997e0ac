import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObjectBody, requestId, send } from '../http.ts';

/** The runtime and events APIs' paths (restJson1, POST with a JSON body). */
export const RUNTIME_PATHS: ReadonlySet<string> = new Set(['/recommendations', '/personalize-ranking', '/events', '/items', '/users']);

/**
 * Whether a request is for Personalize Runtime or Events rather than S3: their paths could name a
 * bucket (`POST /events?delete` is S3's DeleteObjects), so the JSON body and a signature not
 * scoped to S3 decide.
 */
export function isRuntimeRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const [path = '/', query] = (req.url ?? '/').split('?');
  if (!RUNTIME_PATHS.has(path) || query !== undefined) return false;
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return false;
  const scope = /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
  return scope === undefined || scope !== 's3';
}

/** The runtime APIs' modeled errors and their HTTP statuses. */
export type RuntimeErrorCode = 'InvalidInputException' | 'ResourceNotFoundException' | 'ResourceInUseException' | 'SerializationException' | 'UnknownOperationException';

const STATUS: Readonly<Record<RuntimeErrorCode, number>> = {
  InvalidInputException: 400,
  ResourceNotFoundException: 404,
  ResourceInUseException: 409,
  SerializationException: 400,
  UnknownOperationException: 404,
};

/** An error answer; thrown from any depth of a handler and sent by the dispatcher. */
export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalid(member: string, problem: string): RuntimeError {
  return new RuntimeError('InvalidInputException', `${member}: ${problem}`);
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonObjectBody(req, MAX_BODY_BYTES);
  if (typeof body === 'string') throw new RuntimeError('SerializationException', body);
  return body;
}

export function sendJson(res: ServerResponse, body: object | undefined): void {
  send(res, 200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId() }, body === undefined ? '' : JSON.stringify(body));
}

export function sendRuntimeError(res: ServerResponse, error: RuntimeError): void {
  send(
    res,
    STATUS[error.code],
    { 'content-type': 'application/json', 'x-amzn-requestid': requestId(), 'x-amzn-errortype': error.code },
    JSON.stringify({ __type: error.code, message: error.message }),
  );
}
