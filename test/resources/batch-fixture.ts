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
 * A POC directory: the example's interactions schema as `schemas/interactions.avsc`,
 * {@link smallInteractions} as `data/interactions.csv`, and `poc.yaml` with `manifest` as its text.
 */
export function smallPocDir(manifest: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-small-'));
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'schemas', 'interactions.avsc'), readFileSync(join(REPO_ROOT, 'schemas', 'interactions.avsc')));
  writeFileSync(join(dir, 'data', 'interactions.csv'), smallInteractions());
  writeFileSync(join(dir, 'poc.yaml'), manifest);
  return dir;
}

/**
 * A {@link smallPocDir} with batch job inputs beside the data: `data/batch-users.jsonl` of its
 * first three users and `data/segment-items.jsonl` of two items.
 */
export function batchPocDir(manifest: string): string {
  const dir = smallPocDir(manifest);
  writeFileSync(join(dir, 'data', 'batch-users.jsonl'), `${firstUsers(smallInteractions(), 3).map((u) => JSON.stringify({ userId: u })).join('\n')}\n`);
  writeFileSync(join(dir, 'data', 'segment-items.jsonl'), '{"itemId": "P0264"}\n{"itemId": "P0289"}\n');
  return dir;
}

/**
 * A manifest for {@link batchPocDir} named `name` (stack `<name>-env`) with every batch kind:
 * a batch inference job through a filter, a batch segment job and a metric attribution.
 */
export function everyBatchKindManifest(name: string): string {
  return `version: 1
name: ${name}
region: us-east-1
environment:
  stack: { name: ${name}-env }
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  shop:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      personalized: { recipe: aws-user-personalization }
      affinity: { recipe: aws-item-affinity }
    filters:
      not-purchased: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")' }
    batchInferenceJobs:
      nightly: { solution: personalized, input: data/batch-users.jsonl, output: results/nightly, numResults: 5, filter: not-purchased }
    batchSegmentJobs:
      audiences: { solution: affinity, input: data/segment-items.jsonl, output: results/audiences, numResults: 10 }
    metricAttribution:
      metrics:
        - { name: purchases, eventType: Purchase, expression: 'SAMPLECOUNT()' }
`;
}
