/** 1-based line and column of a JSON value in its source text. */
export interface JsonPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Where each value of a JSON document starts, keyed by its path joined with `/` (`fields/2/type`;
 * the root is ``). Only for locating findings in small files such as `.avsc` schemas: it assumes
 * the text already parsed with `JSON.parse` and stops quietly at anything it does not expect.
 */
export function jsonPositions(text: string): Map<string, JsonPosition> {
  const out = new Map<string, JsonPosition>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line += 1;
        lineStart = i + 1;
      } else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return;
      i += 1;
    }
  };
  const readString = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
    i += 1;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  const value = (path: string, depth: number): void => {
    skipSpace();
    if (i >= text.length || depth > 64) return;
    out.set(path, { line, column: i - lineStart + 1 });
    const c = text[i];
    const prefix = path === '' ? '' : `${path}/`;
    if (c === '{') {
      i += 1;
      for (;;) {
        skipSpace();
        if (text[i] === '}' || i >= text.length) break;
        if (text[i] !== '"') return;
        const key = readString();
        skipSpace();
        if (text[i] !== ':') return;
        i += 1;
        value(`${prefix}${key}`, depth + 1);
        skipSpace();
        if (text[i] === ',') i += 1;
      }
      i += 1;
    } else if (c === '[') {
      i += 1;
      for (let k = 0; ; k += 1) {
        skipSpace();
        if (text[i] === ']' || i >= text.length) break;
        value(`${prefix}${k}`, depth + 1);
        skipSpace();
        if (text[i] === ',') i += 1;
      }
      i += 1;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !',]} \t\r\n'.includes(text[i] as string)) i += 1;
    }
  };
  value('', 0);
  return out;
}

/** Line and column of character offset `offset` in `text` (for JSON.parse error positions). */
export function positionAt(text: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
