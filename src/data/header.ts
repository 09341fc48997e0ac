import { closest, editDistance } from '../diagnostics/index.ts';
import type { ResolvedField } from './avro-rules.ts';
import type { FindingSink } from './findings.ts';

/** Where a header cell is, as the CSV parser reports it. */
export type CellPosition = (index: number) => { line: number; column: number; quoted: boolean };

/**
 * Compares a CSV header with the schema's fields and reports every difference. Returns, per CSV
 * column, the schema field whose rules its values follow (a misspelt column follows the field
 * it was meant to be, so its values are still checked), or undefined for an unknown column.
 */
export function checkHeader(header: readonly string[], fields: readonly ResolvedField[], sink: FindingSink, at: CellPosition): (ResolvedField | undefined)[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const mapping: (ResolvedField | undefined)[] = header.map((h) => byName.get(h));
  const seen = new Set<string>();
  header.forEach((h, i) => {
    const p = at(i);
    if (p.quoted) {
      sink.report('header-quoted', 'error', { line: p.line, column: p.column, path: h, hint: 'Write the header row without quotation marks.' }, () => `Header ${JSON.stringify(h)} is quoted; Personalize wants an unquoted header row.`);
    }
    if (seen.has(h)) {
      mapping[i] = undefined;
      sink.report('header-duplicate-column', 'error', { line: p.line, column: p.column, path: h }, () => `Column ${JSON.stringify(h)} appears twice in the header.`);
    }
    seen.add(h);
  });

  const missing = fields.filter((f) => !seen.has(f.name)).map((f) => f.name);
  header.forEach((h, i) => {
    if (byName.has(h)) return;
    const p = at(i);
    const guess = closestColumn(h, missing);
    if (guess !== undefined) {
      missing.splice(missing.indexOf(guess), 1);
      mapping[i] = byName.get(guess);
      sink.report('header-misspelt', 'error', { line: p.line, column: p.column, path: h, hint: `Rename the column to ${guess}.` }, () => `Column ${JSON.stringify(h)} is not in the schema; did you mean ${guess}?`);
    } else {
      sink.report('header-extra-column', 'error', { line: p.line, column: p.column, path: h, hint: 'Remove the column, or add it to the schema.' }, () => `Column ${JSON.stringify(h)} is not in the schema.`);
    }
  });
  if (missing.length > 0) {
    sink.report('header-missing-columns', 'error', { line: 1, column: 1, path: missing.join(','), hint: 'Add the columns to the file, or remove them from the schema.' }, () => `Input CSV is missing the following columns: [${missing.join(', ')}].`);
  }
  const mapped = mapping.filter((m): m is ResolvedField => m !== undefined);
  const expected = fields.filter((f) => mapped.includes(f));
  const wrong = mapped.findIndex((m, k) => m !== expected[k]);
  if (wrong >= 0) {
    const col = mapping.indexOf(mapped[wrong]);
    const p = at(col);
    sink.report('header-reordered', 'error', { line: p.line, column: p.column, path: mapped[wrong]?.name ?? '', hint: `Order the columns as the schema lists its fields: ${fields.map((f) => f.name).join(',')}.` }, () => `Column ${col + 1} is ${mapped[wrong]?.name} but the schema has ${expected[wrong]?.name} there; Personalize reads columns in schema order.`);
  }
  return mapping;
}

/** The candidate a typo most likely meant: same name ignoring case and separators, or within 2 edits. */
function closestColumn(name: string, candidates: readonly string[]): string | undefined {
  const norm = (x: string): string => x.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const same = candidates.find((c) => norm(c) === norm(name));
  if (same !== undefined) return same;
  const guess = closest(name, candidates);
  return guess !== undefined && editDistance(name.toUpperCase(), guess.toUpperCase()) <= 2 ? guess : undefined;
}
