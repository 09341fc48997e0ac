/** Lexical analysis of filter expressions: words, quoted strings, numbers, `$PARAMS`, symbols. */

export type TokenKind = 'word' | 'string' | 'number' | 'param' | 'symbol' | 'end';

/** A token and the 1-based column where it starts. `text` of a string token is unquoted. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly column: number;
}

export type LexResult = { readonly ok: true; readonly tokens: readonly Token[] } | { readonly ok: false; readonly message: string; readonly column: number };

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const PARAM = /\$[A-Za-z0-9_]+/y;
const SYMBOLS = ['<=', '>=', '<', '>', '=', '(', ')', ',', '.', '|'] as const;

/** Splits `text` into tokens, ending with an `end` token; fails on the first character it cannot read. */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(text)?.[0];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const column = i + 1;
    if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j += 1) {
        // A backslash keeps a quote inside a value; the service documents no other escapes.
        if (text[j] === '\\' && text[j + 1] === '"') j += 1;
        value += text[j];
      }
      if (j >= text.length) return { ok: false, message: 'unterminated string: expected a closing "', column };
      tokens.push({ kind: 'string', text: value, column });
      i = j + 1;
      continue;
    }
    const param = at(PARAM);
    if (param !== undefined) {
      tokens.push({ kind: 'param', text: param.slice(1), column });
      i += param.length;
      continue;
    }
    if (ch === '$') return { ok: false, message: 'expected a parameter name after $ (letters, digits, _)', column };
    const word = at(WORD);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, column });
      i += word.length;
      continue;
    }
    const number = at(NUMBER);
    if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, column });
      i += number.length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, column });
      i += symbol.length;
      continue;
    }
    return { ok: false, message: `unexpected character '${ch}'`, column };
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return { ok: true, tokens };
}
