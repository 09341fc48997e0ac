import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListBatchInferenceJobsCommand, ListBatchSegmentJobsCommand, ListDatasetGroupsCommand, ListMetricAttributionMetricsCommand, ListMetricAttributionsCommand } from '@aws-sdk/client-personalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchPocDir, everyBatchKindManifest, firstUsers, readOutLines as readLines, smallInteractions as interactions } from '../resources/batch-fixture.ts';
import { useEmulatedPoc } from './harness.ts';

const MANIFEST = everyBatchKindManifest('batchpoc');

describe('batch jobs and metric attribution, end to end', () => {
  const poc = useEmulatedPoc(() => batchPocDir(MANIFEST));
  const { cli } = poc;
  const acting = async (): Promise<string[]> => (await poc.plan()).changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('+')}`);
  const jobsOf = async (): Promise<string[]> => ((await poc.personalize.send(new ListBatchInferenceJobsCommand({}))).batchInferenceJobs ?? []).map((j) => `${j.jobName ?? ''} ${j.status ?? ''}`);

  beforeAll(async () => {
    const applied = await cli('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  }, 120_000);

  it('runs each job once and downloads its results into the output folder, with a marker naming the job', async () => {
    const nightly = readLines(join(poc.dir, 'results', 'nightly', 'batch-users.jsonl.out'));
    expect(nightly).toHaveLength(3);
    for (const line of nightly) {
      expect(line.error).toBeNull();
      expect(line.output?.recommendedItems).toHaveLength(5);
    }
    const marker = JSON.parse(readFileSync(join(poc.dir, 'results', 'nightly', '.poc-batch-job.json'), 'utf8')) as { jobName: string };
    expect(marker.jobName).toMatch(/^batchpoc-shop-nightly-[0-9a-f]{8}$/);
    expect(await jobsOf()).toEqual([`${marker.jobName} ACTIVE`]);
    const audiences = readLines(join(poc.dir, 'results', 'audiences', 'segment-items.jsonl.out'));
    expect(audiences.map((l) => [l.input.itemId, l.output?.recommendedUsers?.length])).toEqual([
      ['P0264', 10],
      ['P0289', 10],
    ]);
    expect((await poc.personalize.send(new ListBatchSegmentJobsCommand({}))).batchSegmentJobs).toHaveLength(1);
  });

  it('plans nothing on a second run', async () => {
    expect(await acting()).toEqual([]);
  });

  it('plans exactly one new job (and its download) when the input file changes, and keeps the old job', async () => {
    const users = firstUsers(interactions(), 4);
    appendFileSync(join(poc.dir, 'data', 'batch-users.jsonl'), `${JSON.stringify({ userId: users[3] })}\n`);
    expect(await acting()).toEqual([
      'upload.data/batch-users.jsonl create',
      'datasetGroup.shop.batchInferenceJob.nightly create',
      'datasetGroup.shop.batchInferenceJob.nightly.results create',
    ]);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(readLines(join(poc.dir, 'results', 'nightly', 'batch-users.jsonl.out'))).toHaveLength(4);
    expect(await jobsOf()).toHaveLength(2);
    expect(await acting()).toEqual([]);
  });

  it('runs the jobs again after a retraining', async () => {
    const file = join(poc.dir, 'data', 'interactions.csv');
    const csv = readFileSync(file, 'utf8');
    writeFileSync(file, `${csv}${csv.split('\n').slice(6001 - 500, 6001).map((l) => l.replace(/,(\d+),/, (_m, t: string) => `,${Number(t) + 86_400},`)).join('\n')}\n`);
    const planned = await acting();
    expect(planned).toContain('datasetGroup.shop.solution.personalized.version create');
    expect(planned).toContain('datasetGroup.shop.batchInferenceJob.nightly create');
    expect(planned).toContain('datasetGroup.shop.batchSegmentJob.audiences create');
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(await jobsOf()).toHaveLength(3);
    expect(await acting()).toEqual([]);
  }, 60_000);

  it('creates the metric attribution, updates its metrics in place and deletes it when pruned', async () => {
    const groupArn = ((await poc.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? []).find((g) => g.name === 'batchpoc-shop')?.datasetGroupArn ?? '';
    const attributions = async () => (await poc.personalize.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }))).metricAttributions ?? [];
    const [created] = await attributions();
    expect(created?.name).toBe('batchpoc-shop-metrics');
    const manifest = join(poc.dir, 'poc.yaml');
    writeFileSync(manifest, MANIFEST.replace(`expression: 'SAMPLECOUNT()' }`, `expression: 'SAMPLECOUNT()' }\n        - { name: views, eventType: View, expression: 'SAMPLECOUNT()' }`));
    expect(await acting()).toEqual(['datasetGroup.shop.metricAttribution update']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    const metrics = await poc.personalize.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn: created?.metricAttributionArn }));
    expect(metrics.metrics?.map((m) => m.metricName).sort()).toEqual(['purchases', 'views']);
    expect(await acting()).toEqual([]);

    writeFileSync(manifest, `${MANIFEST.slice(0, MANIFEST.indexOf('    metricAttribution:'))}prune: true\n`);
    expect(await acting()).toEqual(['datasetGroup.shop.metricAttribution delete']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(await attributions()).toEqual([]);
    expect(existsSync(join(poc.dir, 'results', 'nightly', 'batch-users.jsonl.out'))).toBe(true);
  }, 60_000);
});
