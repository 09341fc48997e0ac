import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeCampaignCommand, DescribeFilterCommand, ListEventTrackersCommand, ListSolutionVersionsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedChange } from '../../src/plan/types.ts';
import { arnBesideGroup, REPO_ROOT, useEmulatedPoc } from '../cli/harness.ts';

const POC = `version: 1
name: shop
region: us-east-1
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  g:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      pop: { recipe: aws-popularity-count }
    filters:
      not-bought: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")' }
    campaigns:
      main: { solution: pop, minProvisionedTPS: 1 }
    eventTracker: {}
`;

/** 1200 interactions over 50 users and 97 items; every third is a purchase (`buy`). */
function interactions(rows: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + rows; i++) lines.push(`u${i % 50},i${(i * 7) % 97},${1_700_000_000 + i},${i % 3 === 0 ? 'buy' : 'click'}`);
  return `${lines.join('\n')}\n`;
}

/** A POC directory with {@link POC} and 1200 {@link interactions}. */
function servingPocDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-serving-'));
  mkdirSync(join(dir, 'data'));
  cpSync(join(REPO_ROOT, 'schemas', 'interactions.avsc'), join(dir, 'schemas', 'interactions.avsc'), { recursive: true });
  writeFileSync(join(dir, 'data', 'interactions.csv'), `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n${interactions(1200)}`);
  writeFileSync(join(dir, 'poc.yaml'), POC);
  return dir;
}

/** Campaigns, filters and event trackers through plan and apply, against the emulator. */
describe('serving kinds', () => {
  const poc = useEmulatedPoc(servingPocDir);
  const { cli } = poc;
  const acting = (p: Plan): PlannedChange[] => p.changes.filter((c) => c.actions[0] !== 'no-op');
  const arn = (type: Parameters<typeof arnBesideGroup>[2], name: string): Promise<string> => arnBesideGroup(poc.personalize, 'shop-g', type, name);
  const campaign = async () => (await poc.personalize.send(new DescribeCampaignCommand({ campaignArn: await arn('campaign', 'shop-g-main') }))).campaign;
  const newestVersion = async (): Promise<string | undefined> => {
    const versions = (await poc.personalize.send(new ListSolutionVersionsCommand({ solutionArn: await arn('solution', 'shop-g-pop') }))).solutionVersions ?? [];
    return versions.at(-1)?.solutionVersionArn;
  };

  it('creates the filter, tracker and campaign (marked as a cost), then plans nothing', async () => {
    const first = await poc.plan();
    const byAddress = new Map(first.changes.map((c) => [c.address, c]));
    expect(byAddress.get('datasetGroup.g.campaign.main')).toMatchObject({ actions: ['create'], cost: ['provisioned-tps'], dependsOn: ['datasetGroup.g.solution.pop', 'datasetGroup.g.solution.pop.version'] });
    const filter = byAddress.get('datasetGroup.g.filter.not-bought');
    expect(filter?.actions).toEqual(['create']);
    // The expression is sensitive: the plan says it is set, never what it is.
    expect(filter?.after).toEqual({ datasetGroup: 'shop-g' });
    expect(JSON.stringify(first)).not.toContain('IN (\"buy\")');
    expect(byAddress.get('datasetGroup.g.eventTracker')?.actions).toEqual(['create']);

    const applied = await cli('apply', '--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/datasetGroup\.g\.campaign\.main\s+shop-g-main\s+ACTIVE/);
    expect(acting(await poc.plan())).toEqual([]);
    expect((await campaign())?.solutionVersionArn).toBe(await newestVersion());
    const trackers = (await poc.personalize.send(new ListEventTrackersCommand({ datasetGroupArn: await arn('dataset-group', 'shop-g') }))).eventTrackers ?? [];
    expect(trackers.map((t) => t.name)).toEqual(['shop-g-tracker']);
    const tags = (await poc.personalize.send(new ListTagsForResourceCommand({ resourceArn: await arn('campaign', 'shop-g-main') }))).tags ?? [];
    expect(tags).toContainEqual({ tagKey: 'poc:name', tagValue: 'shop' });
  }, 60_000);

  it('changes provisioned TPS in place', async () => {
    poc.editManifest('minProvisionedTPS: 1', 'minProvisionedTPS: 3');
    const changes = acting(await poc.plan());
    expect(changes.map((c) => [c.address, c.actions])).toEqual([['datasetGroup.g.campaign.main', ['update']]]);
    expect(changes[0]?.fieldDiffs).toEqual([{ field: 'minProvisionedTPS', before: 1, after: 3, forcesReplacement: false }]);
    const before = (await campaign())?.campaignArn;
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(await campaign()).toMatchObject({ campaignArn: before, minProvisionedTPS: 3 });
    expect(acting(await poc.plan())).toEqual([]);
  }, 30_000);

  it('replaces a filter whose expression changed, without showing either expression', async () => {
    poc.editManifest('IN ("buy")', 'IN ("buy", "click")');
    const changes = acting(await poc.plan());
    expect(changes.map((c) => [c.address, c.actions])).toEqual([['datasetGroup.g.filter.not-bought', ['delete', 'create']]]);
    expect(changes[0]?.fieldDiffs).toEqual([{ field: 'expression', before: undefined, after: undefined, forcesReplacement: true, sensitive: true }]);
    expect((await cli('apply', '--yes')).code).toBe(0);
    const { filter } = await poc.personalize.send(new DescribeFilterCommand({ filterArn: await arn('filter', 'shop-g-not-bought') }));
    expect(filter?.filterExpression).toBe('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy", "click")');
    expect(acting(await poc.plan())).toEqual([]);
  }, 30_000);

  it('retrains on new data and then deploys the new version to the campaign in place', async () => {
    const served = (await campaign())?.solutionVersionArn;
    appendFileSync(join(poc.dir, 'data', 'interactions.csv'), interactions(300, 5000));
    const changes = acting(await poc.plan());
    const campaignChange = changes.find((c) => c.address === 'datasetGroup.g.campaign.main');
    expect(campaignChange).toMatchObject({ actions: ['update'], reasons: ['data-changed'] });
    expect(campaignChange?.fieldDiffs.map((f) => f.field)).toEqual(['trainedOn']);
    expect(changes.find((c) => c.address === 'datasetGroup.g.solution.pop.version')?.actions).toEqual(['create']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    const newest = await newestVersion();
    expect(newest).not.toBe(served);
    expect((await campaign())?.solutionVersionArn).toBe(newest);
    expect(acting(await poc.plan())).toEqual([]);
  }, 60_000);

  it('refuses to plan replacing a protected campaign', async () => {
    poc.editManifest('      pop: { recipe: aws-popularity-count }\n', '      pop: { recipe: aws-popularity-count }\n      other: { recipe: aws-popularity-count }\n');
    poc.editManifest('main: { solution: pop, minProvisionedTPS: 3 }', 'main: { solution: other, minProvisionedTPS: 3, protect: true }');
    const run = await cli('plan');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/poc\.yaml:\d+:7: error \[protected-resource\] datasetGroup\.g\.campaign\.main is protected, but changing solution would delete and re-create it/);
    expect((await cli('apply', '--yes')).code).toBe(1);
    expect((await campaign())?.status).toBe('ACTIVE');
  }, 30_000);
});
