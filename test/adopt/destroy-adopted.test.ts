import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { runCli } from '../cli/harness.ts';
import { leftovers } from '../destroy/leftovers.ts';
import { startHarness, type Harness } from '../emulator/personalize-helpers.ts';
import { CONSOLE_INTERACTIONS_SCHEMA, consoleGroup, consoleServing, consoleSolution, interactionsCsv } from './console-group.ts';

/** Every name the console gave: adopted resources keep them, so none starts with `shop-`. */
const CONSOLE_NAMES = [
  'ConsoleRetail',
  'console-interactions',
  'console-interactions-schema',
  'console-interactions-import',
  'my-sims',
  'ConsoleRetail-popular',
  'sims-campaign',
  'no-purchased',
  'console-tracker',
];

/**
 * Destroy after `poc import`: the adopted resources keep their console names, so prune's reads
 * (`<poc>-...` and tagged) miss them; destroy also deletes what poc.yaml declares with our tags.
 */
describe('poc destroy of an adopted dataset group', () => {
  let h: Harness;
  let clients: Clients;
  let dir: string;
  const cli = (...argv: string[]) => runCli([...argv, '--endpoint', h.emu.url], { cwd: dir });
  const left = () => leftovers(clients, 'shop', CONSOLE_NAMES);

  beforeAll(async () => {
    h = await startHarness();
    clients = createClients({ region: 'us-east-1', endpoint: h.emu.url });
    dir = mkdtempSync(join(tmpdir(), 'poc-adopt-destroy-'));
    const { groupArn } = await consoleGroup(h.personalize, h.s3, 'ConsoleRetail', [
      { type: 'Interactions', name: 'console-interactions', schemaName: 'console-interactions-schema', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactionsCsv(1600, 60), key: 'uploads/interactions.csv' },
    ]);
    const sims = await consoleSolution(h.personalize, { name: 'my-sims', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-sims' }, true);
    await consoleServing(h.personalize, groupArn, sims);
    await consoleSolution(h.personalize, { name: 'ConsoleRetail-popular', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', performAutoTraining: false }, true);
    const imported = await cli('import', '--dataset-group', 'ConsoleRetail', '--name', 'shop', '--out', '.');
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    clients.destroy();
    await h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes nothing before apply: the console resources do not carry our tags yet', async () => {
    const before = await left();
    const run = await cli('destroy', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('Nothing to destroy: nothing owned by shop exists in us-east-1.\n');
    expect(await left()).toEqual(before);
  });

  it('is blocked by protect on an adopted group, which it names by its console name', async () => {
    const apply = await cli('apply', '--yes');
    expect(apply.code, apply.stderr).toBe(0);
    const before = await left();
    const file = join(dir, 'poc.yaml');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const at = lines.indexOf('  main:');
    expect(at).toBeGreaterThan(0);
    writeFileSync(file, [...lines.slice(0, at + 1), '    protect: true', ...lines.slice(at + 1)].join('\n'));
    try {
      const run = await cli('destroy', '--yes');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[protected-resource] datasetGroup.main (ConsoleRetail) is protected');
      expect(await left()).toEqual(before);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('after apply tags them, deletes every adopted resource, schemas included, and a second destroy is a no-op', async () => {
    const before = await left();
    for (const kind of ['datasetGroup', 'schema', 'dataset', 'solution', 'campaign', 'filter', 'eventTracker']) expect(before.some((l) => l.startsWith(`${kind} `)), `${kind} in ${before.join('\n')}`).toBe(true);

    const run = await cli('destroy', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('- schema.interactions will be deleted');
    expect(run.stdout).toMatch(/^Destroy complete: 8 deleted, 0 failed, 0 not reached/m);
    expect(await left()).toEqual([]);
    const again = await cli('destroy', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Nothing to destroy: nothing owned by shop exists in us-east-1.\n');
  });
});
