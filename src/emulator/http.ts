import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request that carries a size-capped, fully read body (JSON and query protocols are small). */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A JSON request body that must be an object: the object (`{}` for an empty body, as the SDKs
 * send for no input), or why it is not one (the message of the protocols' SerializationException).
 */
export async function readJsonObjectBody(req: IncomingMessage, limitBytes: number): Promise<Record<string, unknown> | string> {
  const body = await readBody(req, limitBytes);
  if (body === 'too-large') return `Request body is larger than ${limitBytes} bytes.`;
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `Request body is not valid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Request body must be a JSON object.';
  return value as Record<string, unknown>;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer = ''): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Each response gets an id, as AWS does; the SDK surfaces it as `$metadata.requestId`. */
export function requestId(): string {
  return crypto.randomUUID();
}
