import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import type { CsvParser } from './csv.ts';
import { columnAfter, completeLength, reportInvalid, type InvalidUtf8 } from './utf8-stream.ts';

/** A partial line longer than this goes to the parser in pieces instead of waiting for its end. */
const MAX_CARRY = 1 << 24;
/** Most lines pushed to the parser together after a line the fast path declined. */
const MAX_SLOW_RUN = 4096;

/**
 * Reads whole lines straight from bytes when it can (the validator's fast path). `read` either
 * takes the line starting at `start`, which is line number `line`, or a run of lines from there
 * (validated, and counted by the next `flush` at the latest; `lineEnd` at the last one's LF), or changes nothing and leaves `lineEnd` at
 * the line's LF, or -1 when `buf` ends first.
 */
export interface FastLineReader {
  read(buf: Buffer, start: number, line: number): boolean;
  lineEnd: number;
  /** Lines the last `read` that returned true took, up to `lineEnd` (a reader may take a run of them). */
  lines: number;
  /** Finishes counting the lines taken so far; called before any other line goes elsewhere. */
  flush(): void;
}

export interface FeedResult {
  readonly bytes: number;
  /** The stream starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

/**
 * Feeds a byte stream to `parser`. With `fast`, while the parser is between records each line is
 * offered to the reader it returns (undefined until the header is read); the lines it declines
 * (and all lines inside a multi-line record) are decoded and pushed to the parser, so both paths
 * see every line exactly once and the parser's line numbers stay right. Without `fast`, or when
 * it still returns undefined after the header, whole lines go to the parser in chunk-sized
 * pieces. Unlike a fatal TextDecoder this keeps going after bad bytes (they become U+FFFD) and
 * says where each bad sequence is. A line cut by a chunk boundary is carried to the next chunk,
 * so no path ever sees half a line.
 */
export async function feedLines(input: AsyncIterable<Uint8Array>, parser: CsvParser, onInvalid: (bad: InvalidUtf8) => void, fast?: () => FastLineReader | undefined): Promise<FeedResult> {
  const feeder = new LineFeeder(parser, onInvalid, fast);
  let bytes = 0;
  for await (const chunk of input) {
    bytes += chunk.length;
    feeder.chunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  feeder.end();
  return { bytes, bom: feeder.bom };
}

/**
 * The bytes of `file` in chunks of up to `size`, read into two buffers in turn on the calling
 * thread. Validating the 10M-row bench file this way costs 8% less CPU than a read stream: the
 * stream allocates a new buffer per chunk (whose pages the kernel faults in and zeroes) and reads
 * on the thread pool, so the bytes reach the parsing core from another core's cache; 256 KB
 * chunks are copied out of the page cache faster than 1-4 MB ones, and 64 KB ones cost more in
 * calls. Each read blocks for the copy of one chunk, as long as checking it takes. Fit for
 * `feedLines`, which keeps nothing of a chunk once it asks for the next one (a partial line is
 * copied, and the fast path counts its batch before it returns).
 */
export async function* readChunks(file: string, size = 1 << 18): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  try {
    for (let k = 0; ; k ^= 1) {
      const buf = buffers[k] as Buffer;
      const bytesRead = readSync(fd, buf, 0, size, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

class LineFeeder {
  bom = false;
  private started = false;
  private carry: Buffer | undefined;
  // ignoreBOM: the parser drops a mark at the start of the file; one starting a later line is data.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** UTF-16 units of the current line already pushed, when a carry overflow cut a line. */
  private column = 0;
  private afterCr = false;
  /** Lines pushed to the parser with the next declined one (see `lines`). */
  private backoff = 0;

  constructor(
    private readonly parser: CsvParser,
    private readonly onInvalid: (bad: InvalidUtf8) => void,
    private readonly fast: (() => FastLineReader | undefined) | undefined,
  ) {}

  chunk(buf: Buffer): void {
    let pos = 0;
    if (this.carry !== undefined) {
      const lf = buf.indexOf(10);
      if (lf < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        if (this.carry.length > MAX_CARRY) this.overflow(this.carry);
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, lf + 1)]);
      this.carry = undefined;
      this.lines(line, 0);
      pos = lf + 1;
    }
    const rest = this.lines(buf, pos);
    if (rest < buf.length) {
      this.carry = Buffer.from(buf.subarray(rest));
      if (this.carry.length > MAX_CARRY) this.overflow(this.carry);
    }
  }

  end(): void {
    if (this.carry !== undefined) this.slow(this.carry, 0, this.carry.length);
    this.carry = undefined;
    this.parser.end();
  }

  /** Reads the complete lines of `buf` from `pos`; returns where the unfinished last line starts. */
  private lines(buf: Buffer, pos: number): number {
    const parser = this.parser;
    const n = buf.length;
    if (this.fast === undefined) {
      const last = buf.lastIndexOf(10);
      if (last < pos) return pos;
      this.slow(buf, pos, last + 1);
      return last + 1;
    }
    while (pos < n) {
      let lf: number;
      let declined = false;
      const reader = this.started ? this.fast() : undefined;
      const fast = reader !== undefined && parser.idle ? reader : undefined;
      if (fast !== undefined) {
        // The parser stays idle while the fast path takes lines, so it is told once per run.
        const first = parser.currentLine;
        let line = first;
        while (pos < n && fast.read(buf, pos, line)) {
          pos = fast.lineEnd + 1;
          line += fast.lines;
        }
        parser.skipLines(line - first);
        fast.flush();
        if (line > first) this.backoff = 0;
        if (pos >= n) return n;
        lf = fast.lineEnd;
        declined = lf >= 0;
      } else if (this.started && reader === undefined) {
        // No reader once the header is read: this file never takes the fast path, so every
        // complete line goes to the parser in one piece.
        lf = buf.lastIndexOf(10);
        if (lf < pos) return pos;
      } else lf = buf.indexOf(10, pos);
      if (lf < 0) return pos;
      let end = lf + 1;
      if (declined) {
        // Declined lines come in runs (a quoted column, non-ASCII ids): after each decline more
        // lines go to the parser in one piece before the fast path is tried again.
        this.backoff = Math.min(this.backoff * 2 || 1, MAX_SLOW_RUN);
        for (let k = 0; k < this.backoff && end < n; k += 1) {
          const next = buf.indexOf(10, end);
          if (next < 0) break;
          end = next + 1;
        }
      }
      this.slow(buf, pos, end);
      pos = end;
    }
    return n;
  }

  /** Pushes the complete UTF-8 part of an overlong partial line and keeps the rest. */
  private overflow(carry: Buffer): void {
    const cut = completeLength(carry);
    this.slow(carry, 0, cut);
    this.carry = cut < carry.length ? Buffer.from(carry.subarray(cut)) : undefined;
  }

  private slow(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const b = buf.subarray(start, end);
    if (!this.started) {
      this.started = true;
      this.bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
      if (this.bom) this.column = -1; // the parser drops the mark without counting a column
    }
    if (isAscii(b)) {
      this.parser.push(b.toString('latin1'));
      this.track(b);
      return;
    }
    // Line by line, so each bad byte is reported just before the records of its line, in the
    // same order whichever path or chunking brought the line here (it matters under maxErrors).
    for (let from = 0; from < b.length; ) {
      const lf = b.indexOf(10, from);
      const line = b.subarray(from, lf < 0 ? b.length : lf + 1);
      if (!isUtf8(line)) reportInvalid(line, { line: this.parser.currentLine, column: this.column, afterCr: this.afterCr }, this.onInvalid);
      this.parser.push(this.decoder.decode(line));
      this.track(line);
      from += line.length;
    }
  }

  /** Where the bytes just pushed leave the position that `reportInvalid` starts from. */
  private track(b: Buffer): void {
    const last = b[b.length - 1];
    this.afterCr = last === 13;
    this.column = last === 10 || last === 13 ? 0 : columnAfter(b, this.column);
  }

}
