import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { CsvParser } from './csv.ts';

/** Where a byte sequence that is not UTF-8 was found: 1-based line and character column. */
export interface InvalidUtf8 {
  readonly line: number;
  readonly column: number;
  /** The offending bytes, hex, for the message. */
  readonly bytes: string;
}

/**
 * Feeds a byte stream to `parser`, decoding UTF-8 chunk by chunk. Unlike a fatal TextDecoder it
 * keeps going after bad bytes (they become U+FFFD) and says on which line each bad sequence
 * is. Pure-ASCII chunks, the common case, skip the UTF-8 decoder.
 */
export async function feedUtf8(input: AsyncIterable<Uint8Array>, parser: CsvParser, onInvalid: (bad: InvalidUtf8) => void): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let carry: Uint8Array | undefined;
  let bytes = 0;
  for await (const chunk of input) {
    bytes += chunk.length;
    const buf = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    const cut = completeLength(buf);
    const body = buf.subarray(0, cut);
    carry = cut < buf.length ? Uint8Array.prototype.slice.call(buf, cut) : undefined;
    push(body, parser, decoder, onInvalid);
  }
  if (carry !== undefined) push(carry, parser, decoder, onInvalid);
  return bytes;
}

function push(body: Uint8Array, parser: CsvParser, decoder: TextDecoder, onInvalid: (bad: InvalidUtf8) => void): void {
  if (body.length === 0) return;
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (isAscii(b)) {
    parser.push(b.toString('latin1'));
    return;
  }
  if (!isUtf8(b)) reportInvalid(b, parser.currentLine, onInvalid);
  parser.push(decoder.decode(b));
}

/** Length of the prefix that ends on a complete UTF-8 sequence, so a character is never split. */
function completeLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back += 1) {
    const c = buf[n - back] ?? 0;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** Finds each bad sequence in a chunk; only runs on chunks `isUtf8` rejected. */
function reportInvalid(b: Buffer, firstLine: number, onInvalid: (bad: InvalidUtf8) => void): void {
  let line = firstLine;
  let lineStart = 0;
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c === 10) {
      line += 1;
      lineStart = i + 1;
      i += 1;
      continue;
    }
    const len = sequenceLength(b, i);
    if (len > 0) {
      i += len;
      continue;
    }
    const column = b.toString('utf8', lineStart, i).length + 1;
    onInvalid({ line, column, bytes: b.subarray(i, Math.min(i + 4, b.length)).toString('hex') });
    i += 1;
  }
}

/** Length of the valid UTF-8 sequence at `i`, or 0 if it is not one (RFC 3629 ranges). */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i] ?? 0;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
