import type { Buffer } from 'node:buffer';

/** Where a byte sequence that is not UTF-8 was found: 1-based line and character column. */
export interface InvalidUtf8 {
  readonly line: number;
  readonly column: number;
  /** The offending bytes, hex, for the message. */
  readonly bytes: string;
}

/**
 * Where a run of bytes starts, in the parser's terms: its line, the UTF-16 units already on that
 * line before the run, and whether the byte before the run was a CR (so a leading LF is not a
 * new line).
 */
export interface RunStart {
  readonly line: number;
  readonly column: number;
  readonly afterCr: boolean;
}

/** Length of the prefix that ends on a complete UTF-8 sequence, so a character is never split. */
export function completeLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back += 1) {
    const c = buf[n - back] ?? 0;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * Reports each bad sequence in `b`, a run that `isUtf8` rejected. Lines are counted as the CSV
 * parser counts them (LF, CR and CRLF each end one) and columns in UTF-16 units of the decoded
 * text, so positions do not depend on where the stream was cut into chunks.
 */
export function reportInvalid(b: Buffer, at: RunStart, onInvalid: (bad: InvalidUtf8) => void): void {
  let line = at.line;
  let base = at.column;
  let lineStart = 0;
  let afterCr = at.afterCr;
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c === 10 || c === 13) {
      if (c === 13 || !afterCr) line += 1;
      afterCr = c === 13;
      base = 0;
      lineStart = i + 1;
      i += 1;
      continue;
    }
    afterCr = false;
    const len = sequenceLength(b, i);
    if (len > 0) {
      i += len;
      continue;
    }
    const column = base + b.toString('utf8', lineStart, i).length + 1;
    onInvalid({ line, column, bytes: b.subarray(i, Math.min(i + 4, b.length)).toString('hex') });
    i += 1;
  }
}

/** UTF-16 units after the last line break of `b`, added to `column` when `b` has no line break. */
export function columnAfter(b: Buffer, column: number): number {
  let k = b.length;
  while (k > 0 && b[k - 1] !== 10 && b[k - 1] !== 13) k -= 1;
  return (k === 0 ? column : 0) + b.toString('utf8', k).length;
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
