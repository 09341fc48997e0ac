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

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer = ''): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Each response gets an id, as AWS does; the SDK surfaces it as `$metadata.requestId`. */
export function requestId(): string {
  return crypto.randomUUID();
}
