import { Transform, type TransformCallback } from 'node:stream';

/** Longest chunk-size or trailer line accepted; real ones are well under 200 bytes. */
const MAX_LINE = 8 * 1024;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/**
 * Decodes an `aws-chunked` request body (`<hex size>[;chunk-signature=..]\r\n<bytes>\r\n ...
 * 0\r\n<trailer>:<value>\r\n\r\n`) into the object's bytes, streaming: memory stays bounded by one
 * network read however large the object. Trailing headers (the SDK's flexible checksums) are
 * collected in `trailers` once the stream has ended. A truncated or malformed body errors the
 * stream, so a half-received object is never committed.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private crlfSeen = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'done' ? null : new Error('aws-chunked body ended before its final chunk'));
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, chunk.length - at);
          this.push(chunk.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-end';
          break;
        }
        case 'data-end': {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (chunk[at] !== expected) throw new Error('aws-chunked chunk is not followed by CRLF');
          at += 1;
          this.crlfSeen += 1;
          if (this.crlfSeen === 2) {
            this.crlfSeen = 0;
            this.state = 'size';
          }
          break;
        }
        case 'size':
        case 'trailer': {
          const newline = chunk.indexOf(0x0a, at);
          const end = newline === -1 ? chunk.length : newline;
          this.line += chunk.toString('latin1', at, end);
          if (this.line.length > MAX_LINE) throw new Error('aws-chunked header line too long');
          at = end;
          if (newline === -1) break;
          at += 1;
          const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
          this.line = '';
          this.onLine(line);
          break;
        }
        case 'done':
          // Bytes after the terminating empty line: tolerate only whitespace.
          if (chunk.subarray(at).toString('latin1').trim() !== '') throw new Error('data after the end of an aws-chunked body');
          at = chunk.length;
          break;
      }
    }
  }

  private onLine(line: string): void {
    if (this.state === 'size') {
      const hex = line.split(';')[0]?.trim() ?? '';
      if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new Error(`bad aws-chunked size line "${line.slice(0, 40)}"`);
      const size = Number.parseInt(hex, 16);
      if (size === 0) {
        this.state = 'trailer';
      } else {
        this.remaining = size;
        this.state = 'data';
      }
      return;
    }
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error('bad aws-chunked trailer line');
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}

/** Whether the request body is aws-chunked framed (signed or unsigned, with or without trailers). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}
