import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListBatchInferenceJobsCommand, ListBatchSegmentJobsCommand, ListDatasetGroupsCommand, ListMetricAttributionMetricsCommand, ListMetricAttributionsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import type { Plan } from '../../src/plan/types.ts';
import { batchPocDir, firstUsers, readOutLines as readLines, smallInteractions as interactions } from '../resources/batch-fixture.ts';
import { personalizeClient, runCli, startTestEmulator } from './harness.ts';

const MANIFEST = `version: 1
name: batchpoc
region: us-east-1
environment:
  stack: { name: batchpoc-env }
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

describe('batch jobs and metric attribution, end to end', () => {
  let emu: RunningEmulator;
  let dir: string;
  let personalize: PersonalizeClient;
  const cli = (...argv: string[]) => runCli([...argv, '--endpoint', emu.url], { cwd: dir });
  const acting = async (): Promise<string[]> => {
    const plan = JSON.parse((await cli('plan', '--format', 'json')).stdout) as Plan;
    return plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('+')}`);
  };
  const jobsOf = async (): Promise<string[]> => ((await personalize.send(new ListBatchInferenceJobsCommand({}))).batchInferenceJobs ?? []).map((j) => `${j.jobName ?? ''} ${j.status ?? ''}`);

  beforeAll(async () => {
    dir = batchPocDir(MANIFEST);
    emu = await startTestEmulator();
    personalize = personalizeClient(emu.url);
    const applied = await cli('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  }, 120_000);
  afterAll(async () => {
    personalize.destroy();
    await emu.close();
  });

  it('runs each job once and downloads its results into the output folder, with a marker naming the job', async () => {
    const nightly = readLines(join(dir, 'results', 'nightly', 'batch-users.jsonl.out'));
    expect(nightly).toHaveLength(3);
    for (const line of nightly) {
      expect(line.error).toBeNull();
      expect(line.output?.recommendedItems).toHaveLength(5);
    }
    const marker = JSON.parse(readFileSync(join(dir, 'results', 'nightly', '.poc-batch-job.json'), 'utf8')) as { jobName: string };
    expect(marker.jobName).toMatch(/^batchpoc-shop-nightly-[0-9a-f]{8}$/);
    expect(await jobsOf()).toEqual([`${marker.jobName} ACTIVE`]);
    const audiences = readLines(join(dir, 'results', 'audiences', 'segment-items.jsonl.out'));
    expect(audiences.map((l) => [l.input.itemId, l.output?.recommendedUsers?.length])).toEqual([
      ['P0264', 10],
      ['P0289', 10],
    ]);
    expect((await personalize.send(new ListBatchSegmentJobsCommand({}))).batchSegmentJobs).toHaveLength(1);
  });

  it('plans nothing on a second run', async () => {
    expect(await acting()).toEqual([]);
  });

  it('plans exactly one new job (and its download) when the input file changes, and keeps the old job', async () => {
    const users = firstUsers(interactions(), 4);
    appendFileSync(join(dir, 'data', 'batch-users.jsonl'), `${JSON.stringify({ userId: users[3] })}\n`);
    expect(await acting()).toEqual([
      'upload.data/batch-users.jsonl create',
      'datasetGroup.shop.batchInferenceJob.nightly create',
      'datasetGroup.shop.batchInferenceJob.nightly.results create',
    ]);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(readLines(join(dir, 'results', 'nightly', 'batch-users.jsonl.out'))).toHaveLength(4);
    expect(await jobsOf()).toHaveLength(2);
    expect(await acting()).toEqual([]);
  });

  it('runs the jobs again after a retraining', async () => {
    const file = join(dir, 'data', 'interactions.csv');
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
    const groupArn = ((await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? []).find((g) => g.name === 'batchpoc-shop')?.datasetGroupArn ?? '';
    const attributions = async () => (await personalize.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }))).metricAttributions ?? [];
    const [created] = await attributions();
    expect(created?.name).toBe('batchpoc-shop-metrics');
    const manifest = join(dir, 'poc.yaml');
    writeFileSync(manifest, MANIFEST.replace(`expression: 'SAMPLECOUNT()' }`, `expression: 'SAMPLECOUNT()' }\n        - { name: views, eventType: View, expression: 'SAMPLECOUNT()' }`));
    expect(await acting()).toEqual(['datasetGroup.shop.metricAttribution update']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    const metrics = await personalize.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn: created?.metricAttributionArn }));
    expect(metrics.metrics?.map((m) => m.metricName).sort()).toEqual(['purchases', 'views']);
    expect(await acting()).toEqual([]);

    writeFileSync(manifest, `${MANIFEST.slice(0, MANIFEST.indexOf('    metricAttribution:'))}prune: true\n`);
    expect(await acting()).toEqual(['datasetGroup.shop.metricAttribution delete']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(await attributions()).toEqual([]);
    expect(existsSync(join(dir, 'results', 'nightly', 'batch-users.jsonl.out'))).toBe(true);
  }, 60_000);
});
