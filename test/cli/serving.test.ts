import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeCampaignCommand, DescribeEventTrackerCommand, DescribeFilterCommand, ListEventTrackersCommand, ListSolutionVersionsCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import { arnBesideGroup, copyExample, useEmulatedPoc } from './harness.ts';

/** The example POC's campaign, filter and event tracker, end to end through the CLI. */
describe('serving in the example POC', () => {
  const poc = useEmulatedPoc(copyExample);
  const { cli } = poc;
  const arn = (type: Parameters<typeof arnBesideGroup>[2], name: string): Promise<string> => arnBesideGroup(poc.personalize, 'retail-poc-metadata', type, name);

  it('plans the campaign as a cost, applies it with the filter and tracker, and a second apply changes nothing', async () => {
    const planned = await cli('plan');
    expect(planned.stdout).toMatch(/datasetGroup\.metadata\.campaign\.personalized/);
    expect(planned.stdout).toMatch(/provisioned-tps|provisioned TPS/i);

    const first = await cli('apply', '--yes');
    expect(first.code).toBe(0);
    for (const line of [
      /datasetGroup\.metadata\.filter\.not-purchased\s+retail-poc-metadata-not-purchased\s+ACTIVE/,
      // The tracking id is what PutEvents needs, so apply prints it.
      /datasetGroup\.metadata\.eventTracker\s+retail-poc-metadata-tracker\s+ACTIVE \(tracking id [0-9a-f-]{36}\)/,
      /datasetGroup\.metadata\.campaign\.personalized\s+retail-poc-metadata-personalized\s+ACTIVE/,
    ]) {
      expect(first.stdout).toMatch(line);
    }
    const second = await cli('apply', '--yes');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes.');
  }, 120_000);

  it('serves the newest version trained for the solution, filters out purchases and gives a tracking id', async () => {
    const { campaign } = await poc.personalize.send(new DescribeCampaignCommand({ campaignArn: await arn('campaign', 'retail-poc-metadata-personalized') }));
    const versions = (await poc.personalize.send(new ListSolutionVersionsCommand({ solutionArn: await arn('solution', 'retail-poc-metadata-personalized') }))).solutionVersions ?? [];
    expect(campaign).toMatchObject({ status: 'ACTIVE', minProvisionedTPS: 1, solutionVersionArn: versions.at(-1)?.solutionVersionArn });
    const { filter } = await poc.personalize.send(new DescribeFilterCommand({ filterArn: await arn('filter', 'retail-poc-metadata-not-purchased') }));
    expect(filter?.filterExpression).toBe('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")');
    const [tracker] = (await poc.personalize.send(new ListEventTrackersCommand({ datasetGroupArn: await arn('dataset-group', 'retail-poc-metadata') }))).eventTrackers ?? [];
    const { eventTracker } = await poc.personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker?.eventTrackerArn }));
    expect(eventTracker?.trackingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a filter expression that does not parse before any call, at its line and column', async () => {
    const file = join(poc.dir, 'poc.yaml');
    const original = readFileSync(file, 'utf8');
    const line = original.split('\n').findIndex((l) => l.includes('not-purchased:')) + 1;
    writeFileSync(file, original.replace('IN ("Purchase")', 'IN "Purchase"'));
    try {
      const run = await cli('validate');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`poc\\.yaml:${line}:\\d+: error \\[filter-expression\\] filter "not-purchased": `));
    } finally {
      writeFileSync(file, original);
    }
  });
});
