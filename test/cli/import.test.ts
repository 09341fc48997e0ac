import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatasetGroupCommand, CreateSolutionCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan } from '../../src/plan/types.ts';
import { localStateDir } from '../../src/cli/target.ts';
import { startHarness, type Harness } from '../emulator/personalize-helpers.ts';
import { CONSOLE_INTERACTIONS_SCHEMA, consoleGroup, interactionsCsv } from '../adopt/console-group.ts';
import { runCli } from './harness.ts';

/** `poc import` as a user meets its refusals and warnings. */
describe('poc import', () => {
  let h: Harness;
  const interactions = interactionsCsv(1200, 40);
  const items = 'ITEM_ID,GENRE\ni1,rock\ni2,jazz\n';
  const itemsSchema = JSON.stringify({ type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: ['null', 'string'], categorical: true }], version: '1.0' });
  const fresh = (): string => mkdtempSync(join(tmpdir(), 'poc-import-'));
  const cli = (dir: string, ...argv: string[]) => runCli(['import', ...argv, '--endpoint', h.emu.url], { cwd: dir });

  beforeAll(async () => {
    h = await startHarness();
    await consoleGroup(h.personalize, h.s3, 'retail-console', [
      { type: 'Interactions', name: 'retail-interactions', schemaName: 'retail-interactions-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactions, key: 'retail/interactions.csv' },
    ]);
    await consoleGroup(h.personalize, h.s3, 'no-imports', [{ type: 'Interactions', name: 'empty-interactions', schemaName: 'empty-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: '' }]);
    const { groupArn } = await consoleGroup(h.personalize, h.s3, 'mixed', [
      { type: 'Interactions', name: 'mixed-interactions', schemaName: 'mixed-interactions-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactions, key: 'mixed/interactions.csv' },
      { type: 'Items', name: 'mixed-items', schemaName: 'mixed-items-schema', schema: itemsSchema, csv: items, key: 'mixed/items/part-1.csv', dataLocation: 's3://console-bucket/mixed/items/' },
    ]);
    await h.personalize.send(new CreateSolutionCommand({ name: 'mixed-automl', datasetGroupArn: groupArn, performAutoML: true, performAutoTraining: false }));
    await h.personalize.send(new CreateDatasetGroupCommand({ name: 'other-group' }));
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('names the existing groups when the group is unknown, and writes nothing', async () => {
    const dir = fresh();
    const run = await cli(dir, '--dataset-group', 'retail-consol');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [unknown-dataset-group] no dataset group is named "retail-consol"; did you mean "retail-console"?');
    expect(run.stderr).toContain('existing dataset groups: mixed, no-imports, other-group, retail-console');
    expect(existsSync(join(dir, 'poc.yaml'))).toBe(false);
  });

  it('refuses a group whose dataset was never imported, naming the dataset', async () => {
    const dir = fresh();
    const run = await cli(dir, '--dataset-group', 'no-imports');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error \[dataset-without-import\] the interactions dataset "empty-interactions" has no ACTIVE import job/);
    expect(existsSync(join(dir, 'poc.yaml'))).toBe(false);
  });

  it('requires --dataset-group', async () => {
    const run = await cli(fresh());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[missing-option]');
  });

  it('refuses to overwrite an existing poc.yaml without --force, and overwrites it with --force', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'poc.yaml'), '# mine\n');
    const refused = await cli(dir, '--dataset-group', 'retail-console');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error [adopt-would-overwrite] poc.yaml already exists');
    expect(readFileSync(join(dir, 'poc.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(dir, 'data', 'interactions.csv'))).toBe(false);

    const forced = await cli(dir, '--dataset-group', 'retail-console', '--force');
    expect(forced.code).toBe(0);
    const doc = parse(readFileSync(join(dir, 'poc.yaml'), 'utf8')) as { name: string; datasetGroups: Record<string, { name?: string }> };
    // The POC name comes from the group's; the group keeps its name (the generated one would be `retail-console-main`).
    expect(doc.name).toBe('retail-console');
    expect(doc.datasetGroups['main']?.name).toBe('retail-console');
  });

  it('warns about an import from a prefix and an AutoML solution, leaves a comment for each, and still writes a valid poc.yaml', async () => {
    const dir = fresh();
    const run = await cli(dir, '--dataset-group', 'mixed', '--name', 'mixed', '--out', 'adopted');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning \[import-from-prefix\] the items dataset "mixed-items" was imported from the prefix s3:\/\/console-bucket\/mixed\/items\//);
    expect(run.stderr).toMatch(/warning \[solution-not-adopted\] solution "mixed-automl" uses AutoML/);
    const text = readFileSync(join(dir, 'adopted', 'poc.yaml'), 'utf8');
    expect(text).toMatch(/^# Not adopted: the items dataset "mixed-items" \(imported from the prefix/m);
    expect(text).toMatch(/^# Not adopted: solution "mixed-automl" uses AutoML/m);
    const doc = parse(text) as { datasetGroups: Record<string, { datasets: Record<string, unknown>; solutions?: unknown }> };
    expect(Object.keys(doc.datasetGroups['main']?.datasets ?? {})).toEqual(['interactions']);
    expect(doc.datasetGroups['main']?.solutions).toBeUndefined();
    expect(run.stdout).toContain('Next: poc plan -f adopted/poc.yaml --endpoint');

    const validate = await runCli(['validate', '-f', 'adopted/poc.yaml'], { cwd: dir });
    expect(validate.code).toBe(0);
    // What was left out stays out of the plan too: it is neither declared nor owned.
    const plan = await runCli(['plan', '-f', 'adopted/poc.yaml', '--format', 'json', '--endpoint', h.emu.url], { cwd: dir });
    const changes = (JSON.parse(plan.stdout) as Plan).changes.filter((c) => c.actions[0] !== 'no-op');
    expect(changes.map((c) => `${c.address} ${c.reasons.join(',')}`).sort()).toEqual([
      'datasetGroup.main tags-changed',
      'datasetGroup.main.dataset.interactions tags-changed',
      'datasetGroup.main.dataset.interactions.import tags-changed',
    ]);
  });

  it('--local reads the embedded emulator kept beside the poc.yaml it writes, so plan --local continues from there', async () => {
    const dir = fresh();
    const local = await startHarness({ stateDir: localStateDir(dir) });
    try {
      await consoleGroup(local.personalize, local.s3, 'local-console', [
        { type: 'Interactions', name: 'local-interactions', schemaName: 'local-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactions, key: 'local/interactions.csv' },
      ]);
    } finally {
      await local.stop();
    }
    const run = await runCli(['import', '--dataset-group', 'local-console', '--name', 'local', '--local'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Next: poc plan -f poc.yaml --local');
    const plan = await runCli(['plan', '--local', '--format', 'json'], { cwd: dir });
    const changes = (JSON.parse(plan.stdout) as Plan).changes.filter((c) => c.actions[0] !== 'no-op');
    expect(changes.every((c) => c.reasons.join() === 'tags-changed')).toBe(true);
    expect(changes).toHaveLength(3);
  });
});
