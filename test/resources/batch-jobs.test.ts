import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListBatchInferenceJobsCommand } from '@aws-sdk/client-personalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmulatedPoc } from '../cli/harness.ts';
import { batchPocDir, readOutLines } from './batch-fixture.ts';

const MANIFEST = `version: 1
name: jobs
region: us-east-1
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  shop:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      personalized: { recipe: aws-user-personalization, retrain: manual }
    batchInferenceJobs:
      nightly: { solution: personalized, input: data/batch-users.jsonl, output: results/nightly, numResults: 5 }
`;

/** The batch job and results kinds through plan and apply: what re-runs a job and what does not. */
describe('batch job and batch results kinds', () => {
  const poc = useEmulatedPoc(() => batchPocDir(MANIFEST));
  const { cli } = poc;
  const acting = async (): Promise<string[]> => (await poc.plan()).changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.reasons.join(',')}`);
  const jobs = async () => (await poc.personalize.send(new ListBatchInferenceJobsCommand({}))).batchInferenceJobs ?? [];
  const manifest = (text: string): void => writeFileSync(join(poc.dir, 'poc.yaml'), text);

  beforeAll(async () => {
    const applied = await cli('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  }, 120_000);

  it('downloads again, without running a job, when the results folder was removed', async () => {
    rmSync(join(poc.dir, 'results'), { recursive: true });
    expect(await acting()).toEqual(['datasetGroup.shop.batchInferenceJob.nightly.results absent']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(readOutLines(join(poc.dir, 'results', 'nightly', 'batch-users.jsonl.out'))).toHaveLength(3);
    expect(await jobs()).toHaveLength(1);
  });

  it('runs a new job when a setting changes, showing the field, and the download follows it', async () => {
    manifest(MANIFEST.replace('numResults: 5', 'numResults: 8'));
    const change = (await poc.plan()).changes.find((c) => c.address === 'datasetGroup.shop.batchInferenceJob.nightly');
    expect(change?.actions).toEqual(['create']);
    expect(change?.cost).toEqual(['batch-job']);
    expect(change?.fieldDiffs.map((f) => [f.field, f.before, f.after])).toEqual([['numResults', 5, 8]]);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(readOutLines(join(poc.dir, 'results', 'nightly', 'batch-users.jsonl.out')).map((l) => l.output?.recommendedItems?.length)).toEqual([8, 8, 8]);
    expect(await jobs()).toHaveLength(2);
  });

  it('runs the earlier settings again under a -02 name when they come back', async () => {
    manifest(MANIFEST);
    expect(await acting()).toEqual(['datasetGroup.shop.batchInferenceJob.nightly field-changed', 'datasetGroup.shop.batchInferenceJob.nightly.results data-changed']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    const names = (await jobs()).map((j) => j.jobName ?? '').sort();
    expect(names).toHaveLength(3);
    expect(names.filter((n) => n.endsWith('-02'))).toHaveLength(1);
    expect(await acting()).toEqual([]);
  });

  it('fails the apply with the service reason when the job cannot read its input, and plans it again', async () => {
    manifest(MANIFEST.replace('input: data/batch-users.jsonl', "input: 's3://nowhere-bucket/none.jsonl'"));
    const applied = await cli('apply', '--yes');
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain('Input bucket nowhere-bucket does not exist');
    // The failed job is the newest with these settings: only its state asks for another run.
    expect(await acting()).toEqual(['datasetGroup.shop.batchInferenceJob.nightly failed-state', 'datasetGroup.shop.batchInferenceJob.nightly.results dependency-replaced,data-changed']);
    // The folder still holds the last good results.
    expect(readFileSync(join(poc.dir, 'results', 'nightly', '.poc-batch-job.json'), 'utf8')).toContain('jobs-shop-nightly-');
  });
});
