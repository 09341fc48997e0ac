import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFilterCommand, ListFiltersCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import type { DriftReport } from '../../src/plan/drift.ts';
import type { Plan } from '../../src/plan/types.ts';
import { ownerTags } from '../../src/cli/session.ts';
import { toServiceTags } from '../../src/resources/tags.ts';
import { runCli } from '../cli/harness.ts';
import { leftovers } from '../destroy/leftovers.ts';
import { startHarness, type Harness } from '../emulator/personalize-helpers.ts';
import { CONSOLE_INTERACTIONS_SCHEMA, consoleGroup, consoleServing, consoleSolution, interactionsCsv } from './console-group.ts';

/** Every name the console gave: adopted resources keep them, so none starts with `shop-`. */
const CONSOLE_NAMES = ['ConsoleRetail', 'console-interactions', 'console-interactions-schema', 'console-interactions-import', 'my-sims', 'sims-campaign', 'no-purchased', 'console-tracker'];

const FILTER = 'datasetGroup.main.filter.no-purchased';

/**
 * A resource of an adopted group that poc.yaml stops declaring: it keeps its console name but
 * carries our tags and lies below a group poc.yaml declares, so plan and drift report it, prune
 * deletes it, and destroy deletes such a resource before the group (which it could not delete
 * while the resource was there).
 */
describe('an adopted resource removed from poc.yaml', () => {
  let h: Harness;
  let clients: Clients;
  let dir: string;
  let groupArn: string;
  const cli = (...argv: string[]) => runCli([...argv, '--endpoint', h.emu.url], { cwd: dir });
  const filterNames = async (): Promise<string[]> => ((await h.personalize.send(new ListFiltersCommand({ datasetGroupArn: groupArn }))).Filters ?? []).map((f) => f.name ?? '');

  beforeAll(async () => {
    h = await startHarness();
    clients = createClients({ region: 'us-east-1', endpoint: h.emu.url });
    dir = mkdtempSync(join(tmpdir(), 'poc-adopt-undeclared-'));
    ({ groupArn } = await consoleGroup(h.personalize, h.s3, 'ConsoleRetail', [
      { type: 'Interactions', name: 'console-interactions', schemaName: 'console-interactions-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactionsCsv(1600, 60), key: 'uploads/interactions.csv' },
    ]));
    const sims = await consoleSolution(h.personalize, { name: 'my-sims', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-sims', performAutoTraining: false }, true);
    await consoleServing(h.personalize, groupArn, sims);
    const imported = await cli('import', '--dataset-group', 'ConsoleRetail', '--name', 'shop', '--out', '.');
    expect(imported.code, imported.stderr).toBe(0);
    const apply = await cli('apply', '--yes');
    expect(apply.code, apply.stderr).toBe(0);

    const file = join(dir, 'poc.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    expect(doc.hasIn(['datasetGroups', 'main', 'filters', 'no-purchased'])).toBe(true);
    doc.deleteIn(['datasetGroups', 'main', 'filters']);
    writeFileSync(file, doc.toString());
  }, 120_000);
  afterAll(async () => {
    clients.destroy();
    await h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plan reports it as tagged but not declared, and changes nothing', async () => {
    const run = await cli('plan', '--format', 'json');
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.changes.filter((c) => c.actions[0] !== 'no-op')).toEqual([]);
    expect(plan.undeclared.map((u) => `${u.kind} ${u.address} ${u.name}`)).toEqual([`filter ${FILTER} no-purchased`]);
    const text = await cli('plan');
    expect(text.stdout).not.toMatch(/^No changes/m);
    expect(text.stdout).toContain(FILTER);
  });

  it('drift reports it as undeclared', async () => {
    const run = await cli('drift', '--format', 'json');
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout) as DriftReport;
    expect(report.findings.map((f) => `${f.type} ${f.address}`)).toEqual([`undeclared ${FILTER}`]);
  });

  it('plan --prune plans its delete and apply --prune deletes it', async () => {
    const planned = await cli('plan', '--prune', '--format', 'json');
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as Plan;
    expect(plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.actions.join('/')}`)).toEqual([`${FILTER} delete`]);

    const prune = await cli('apply', '--prune', '--yes');
    expect(prune.code, prune.stderr).toBe(0);
    expect(await filterNames()).toEqual([]);
    const after = await cli('plan', '--format', 'json');
    expect((JSON.parse(after.stdout) as Plan).undeclared).toEqual([]);
  });

  it('destroy deletes a tagged, undeclared resource of the group without a prune, instead of failing on the group', async () => {
    // Tagged as poc.yaml's resources are, declared nowhere: the group cannot go before it does.
    await h.personalize.send(new CreateFilterCommand({ name: 'late-filter', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', tags: toServiceTags(ownerTags('shop')) }));
    const destroy = await cli('destroy', '--yes');
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('- datasetGroup.main.filter.late-filter will be deleted');
    expect(await leftovers(clients, 'shop', [...CONSOLE_NAMES, 'late-filter'])).toEqual([]);
  });
});
