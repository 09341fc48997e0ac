import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../cli/harness.ts';

/** The example's first 6,000 interactions: enough to train, small enough to train fast. */
export function smallInteractions(): string {
  return `${readFileSync(join(REPO_ROOT, 'data', 'interactions.csv'), 'utf8').split('\n').slice(0, 6001).join('\n')}\n`;
}

/** The first `n` distinct users of an interactions CSV, in file order. */
export function firstUsers(csv: string, n: number): string[] {
  return [...new Set(csv.split('\n').slice(1).map((l) => l.split(',')[0] ?? '').filter((u) => u !== ''))].slice(0, n);
}

/** One line of a batch job's output file, as the service writes it. */
export interface OutLine {
  readonly input: { readonly userId?: string; readonly itemId?: string };
  readonly output: { readonly recommendedItems?: string[]; readonly scores?: number[]; readonly recommendedUsers?: string[] } | null;
  readonly error?: string | null;
}

export const readOutLines = (file: string): OutLine[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as OutLine);

/**
 * A POC directory: the example's interactions schema, {@link smallInteractions}, a
 * `data/batch-users.jsonl` of the first three users, `data/segment-items.jsonl` of two items, and
 * `poc.yaml` with `manifest` as its text.
 */
export function batchPocDir(manifest: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-batch-'));
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'schemas', 'interactions.avsc'), readFileSync(join(REPO_ROOT, 'schemas', 'interactions.avsc')));
  const csv = smallInteractions();
  writeFileSync(join(dir, 'data', 'interactions.csv'), csv);
  writeFileSync(join(dir, 'data', 'batch-users.jsonl'), `${firstUsers(csv, 3).map((u) => JSON.stringify({ userId: u })).join('\n')}\n`);
  writeFileSync(join(dir, 'data', 'segment-items.jsonl'), '{"itemId": "P0264"}\n{"itemId": "P0289"}\n');
  writeFileSync(join(dir, 'poc.yaml'), manifest);
  return dir;
}
