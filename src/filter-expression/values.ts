/**
 * A `filterValues` entry as the runtime API carries it: `"\"comedy\",\"drama\""` (quoted values,
 * comma-separated) or a bare number such as `"25"`. Returns the values unquoted, or a message.
 */
export function parseFilterValue(raw: string): { ok: true; values: string[] } | { ok: false; message: string } {
  const values: string[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < raw.length && /\s/.test(raw[i] as string)) i += 1;
  };
  for (;;) {
    skipSpace();
    if (raw[i] === '"') {
      const close = raw.indexOf('"', i + 1);
      if (close < 0) return { ok: false, message: `unterminated quoted value at character ${i + 1}` };
      values.push(raw.slice(i + 1, close));
      i = close + 1;
    } else {
      const comma = raw.indexOf(',', i);
      const value = (comma < 0 ? raw.slice(i) : raw.slice(i, comma)).trim();
      if (value === '') return { ok: false, message: `expected a value at character ${i + 1}` };
      values.push(value);
      i = comma < 0 ? raw.length : comma;
    }
    skipSpace();
    if (i >= raw.length) return { ok: true, values };
    if (raw[i] !== ',') return { ok: false, message: `expected , between values at character ${i + 1}` };
    i += 1;
  }
}
