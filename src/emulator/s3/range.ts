/** An inclusive byte range within an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Interprets a `Range` header against an object of `size` bytes: the range to serve, `'whole'`
 * when the header is absent or not a single byte range (HTTP says ignore it then), or
 * `'unsatisfiable'` (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'whole' | 'unsatisfiable' {
  if (header === undefined) return 'whole';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return 'whole';
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'whole';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return 'whole';
  return { start, end };
}
