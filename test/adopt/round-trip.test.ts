import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListDatasetImportJobsCommand, ListSchemasCommand, ListSolutionVersionsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan } from '../../src/plan/types.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { runCli } from '../cli/harness.ts';
import { ITEMS_SCHEMA, startHarness, type Harness } from '../emulator/personalize-helpers.ts';
import { BUCKET, CONSOLE_INTERACTIONS_SCHEMA, consoleGroup, consoleServing, consoleSolution, interactionsCsv, ROLE } from './console-group.ts';

/** The serving resources of the console group, by the addresses poc.yaml gives them. */
const SERVING = ['datasetGroup.main.campaign.sims-campaign', 'datasetGroup.main.eventTracker', 'datasetGroup.main.filter.no-purchased'];

const ITEMS_CSV = `ITEM_ID,GENRE\n${Array.from({ length: 97 }, (_, i) => `i${i},${i % 2 === 0 ? 'rock' : 'jazz'}`).join('\n')}\n`;

/**
 * The adopt round trip: a group built "by hand" as in the console, `poc import`, then `poc plan`
 * shows only ownership tags being added; `poc apply` adds them and a second plan is a no-op.
 */
describe('poc import of a console-built dataset group', () => {
  let h: Harness;
  let dir: string;
  let groupArn: string;
  const interactions = interactionsCsv(1600, 60);
  const cli = (...argv: string[]) => runCli([...argv, '--endpoint', h.emu.url], { cwd: dir });
  const planJson = async (): Promise<Plan> => {
    const run = await cli('plan', '--format', 'json');
    expect(run.stderr).not.toMatch(/\berror\b/);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Plan;
  };
  const acting = (plan: Plan) => plan.changes.filter((c) => c.actions[0] !== 'no-op');

  beforeAll(async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), 'poc-adopt-'));
    ({ groupArn } = await consoleGroup(h.personalize, h.s3, 'ConsoleRetail', [
      { type: 'Interactions', name: 'console-interactions', schemaName: 'console-interactions-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactions, key: 'uploads/interactions.csv' },
      { type: 'Items', name: 'console-items', schemaName: 'console-items-schema', schema: ITEMS_SCHEMA, csv: ITEMS_CSV, key: 'uploads/items.csv' },
    ]));
    // The console leaves automatic training to the service's default (on).
    const sims = await consoleSolution(h.personalize, { name: 'my-sims', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-sims', solutionConfig: { algorithmHyperParameters: { popularity_discount_factor: '0.5' } } }, true);
    await consoleServing(h.personalize, groupArn, sims);
    await consoleSolution(h.personalize, { name: 'ConsoleRetail-popular', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', eventType: 'click', performAutoTraining: false }, true);
  }, 120_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('writes a poc.yaml that names the console resources, a byte-identical data copy, and passes validate', async () => {
    const run = await cli('import', '--dataset-group', 'ConsoleRetail', '--name', 'shop', '--out', '.');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Adopted dataset group ConsoleRetail as POC shop.');
    expect(readFileSync(join(dir, 'data', 'interactions.csv'), 'utf8')).toBe(interactions);
    expect(readFileSync(join(dir, 'data', 'items.csv'), 'utf8')).toBe(ITEMS_CSV);
    expect(JSON.parse(readFileSync(join(dir, 'schemas', 'interactions.avsc'), 'utf8'))).toEqual(JSON.parse(CONSOLE_INTERACTIONS_SCHEMA));

    const text = readFileSync(join(dir, 'poc.yaml'), 'utf8');
    // any: a parsed YAML document whose fields the assertions below check one by one.
    const doc = parse(text) as Record<string, any>;
    expect(doc['environment']).toEqual({ existing: { bucket: BUCKET, roleArn: ROLE } });
    expect(doc['schemas']['interactions']).toEqual({ file: 'schemas/interactions.avsc', name: 'console-interactions-schema' });
    const group = doc['datasetGroups']['main'];
    expect(group['name']).toBe('ConsoleRetail');
    expect(group['datasets']['interactions']).toMatchObject({ name: 'console-interactions', importedFrom: `s3://${BUCKET}/uploads/interactions.csv`, data: 'data/interactions.csv' });
    expect(group['solutions']['my-sims']).toMatchObject({ recipe: 'aws-sims', retrain: 'manual', autoTraining: { schedule: 'rate(7 days)' }, algorithmHyperParameters: { popularity_discount_factor: '0.5' } });
    // The solution named `<group name>-popular` gets the key `popular`, and keeps its name.
    expect(group['solutions']['popular']).toEqual({ name: 'ConsoleRetail-popular', recipe: 'aws-popularity-count', eventType: 'click', retrain: 'manual' });
    // Billing that adoption keeps on is said where it is set.
    expect(text).toMatch(/# Automatic training is ON, as in the console/);
    expect(group['campaigns']).toEqual({ 'sims-campaign': { name: 'sims-campaign', solution: 'my-sims', minProvisionedTPS: 2 } });
    expect(group['filters']).toEqual({ 'no-purchased': { name: 'no-purchased', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' } });
    expect(group['eventTracker']).toEqual({ name: 'console-tracker' });

    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.stderr).not.toMatch(/\berror\b/);
    expect(validate.code).toBe(0);
  });

  it('plans nothing but ownership tags: no schema, upload, import or training', async () => {
    const plan = await planJson();
    const changes = acting(plan);
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) {
      expect(c.actions, c.address).toEqual(['update']);
      expect(c.reasons, c.address).toEqual(['tags-changed']);
      expect(KINDS[c.kind].supportsTags, c.address).toBe(true);
    }
    expect(changes.map((c) => c.address).sort()).toEqual([
      'datasetGroup.main',
      'datasetGroup.main.dataset.interactions',
      'datasetGroup.main.dataset.interactions.import',
      'datasetGroup.main.dataset.items',
      'datasetGroup.main.dataset.items.import',
      'datasetGroup.main.solution.my-sims',
      'datasetGroup.main.solution.my-sims.version',
      'datasetGroup.main.solution.popular',
      'datasetGroup.main.solution.popular.version',
    ].concat(SERVING).sort());
  });

  it('apply only adds tags (the imports also get their data hash), and a second plan is a no-op', async () => {
    const schemasBefore = (await h.personalize.send(new ListSchemasCommand({}))).schemas?.length;
    const apply = await cli('apply', '--yes');
    expect(apply.stderr).not.toMatch(/\berror\b/);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(`Plan: 0 to create, ${9 + SERVING.length} to update, 0 to replace, 0 to delete.`);
    expect((await h.personalize.send(new ListSchemasCommand({}))).schemas?.length).toBe(schemasBefore);

    const datasetArn = `${groupArn.replace(':dataset-group/', ':dataset/')}/INTERACTIONS`;
    const jobs = (await h.personalize.send(new ListDatasetImportJobsCommand({ datasetArn }))).datasetImportJobs ?? [];
    expect(jobs.map((j) => j.jobName)).toEqual(['console-interactions-import']);
    const tags = (await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: jobs[0]?.datasetImportJobArn ?? '' }))).tags ?? [];
    expect(Object.fromEntries(tags.map((t) => [t.tagKey, t.tagValue]))).toMatchObject({ 'poc:name': 'shop', 'poc:managed-by': 'personalize-poc' });
    expect(tags.find((t) => t.tagKey === 'poc:data-sha256')?.tagValue).toMatch(/^[0-9a-f]{64}$/);
    const versions = await h.personalize.send(new ListSolutionVersionsCommand({ solutionArn: groupArn.replace(/:dataset-group\/.*/, ':solution/my-sims') }));
    // The service's own automatic version aside, nothing was trained: the console's version counts.
    expect(versions.solutionVersions?.filter((v) => v.trainingType !== 'AUTOMATIC')).toHaveLength(1);

    expect(acting(await planJson())).toEqual([]);
  });

  it('plans a new upload and import, and no retraining under retrain: manual, once the local data differs from the adopted object', async () => {
    const file = join(dir, 'data', 'interactions.csv');
    writeFileSync(file, `${interactions}u1,i1,1800000000,click\n`);
    try {
      const changes = acting(await planJson());
      expect(changes.map((c) => `${c.address} ${c.actions.join('/')}`).sort()).toEqual(['datasetGroup.main.dataset.interactions.import create', 'upload.data/interactions.csv create']);
    } finally {
      writeFileSync(file, interactions);
    }
  });
});
