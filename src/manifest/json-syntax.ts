/**
 * Finds where JSON text first goes wrong. JSON.parse says *that* text is invalid, but its messages
 * vary between Node versions and often carry no position; a diagnostic needs a line and column.
 * Only called after JSON.parse has failed, so it favours clarity over speed.
 */
export interface JsonSyntaxError {
  /** 0-based offset of the offending character (the text's length at an unexpected end). */
  readonly offset: number;
  readonly message: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);

class Fail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw new Fail(i, i >= text.length ? `unexpected end of text; ${message}` : `unexpected ${JSON.stringify(text[i])}; ${message}`);
  };
  const ws = (): void => {
    while (i < text.length && WS.has(text[i] ?? '')) i += 1;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('expected a value');
  };
  const string = (): void => {
    i += 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i += 1;
        return;
      }
      if (c === '\\') {
        i += 1;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('expected four hex digits after \\u');
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i] ?? '')) {
          i += 1;
        } else fail('invalid escape in a string');
      } else if ((c ?? '').charCodeAt(0) < 0x20) {
        fail('control characters must be escaped in strings');
      } else i += 1;
    }
    fail('a string is not closed');
  };
  const number = (): void => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (match === null || match[0] === '' || match[0] === '-') fail('expected a value');
    i += match?.[0].length ?? 0;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  const object = (): void => {
    i += 1;
    ws();
    if (text[i] === '}') {
      i += 1;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a double-quoted property name');
      string();
      ws();
      if (text[i] !== ':') fail('expected ":" after a property name');
      i += 1;
      value();
      ws();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '}') {
        i += 1;
        return;
      }
      fail('expected "," or "}"');
    }
  };
  const array = (): void => {
    i += 1;
    ws();
    if (text[i] === ']') {
      i += 1;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === ']') {
        i += 1;
        return;
      }
      fail('expected "," or "]"');
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('expected the end of the text');
    return undefined;
  } catch (e) {
    if (e instanceof Fail) return { offset: e.offset, message: e.message };
    throw e;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
