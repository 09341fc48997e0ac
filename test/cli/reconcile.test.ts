import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteDatasetCommand, DeleteDatasetGroupCommand, DeleteSolutionCommand, ListDatasetGroupsCommand, ListDatasetsCommand, ListSolutionsCommand, TagResourceCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedChange } from '../../src/plan/types.ts';
import { copyExample, runCli, useEmulatedPoc } from './harness.ts';

/** The example POC against one emulator, driven through the CLI as a user would. */
describe('plan, apply and drift of the example POC', () => {
  const poc = useEmulatedPoc(copyExample);
  const { cli } = poc;
  const planJson = async (): Promise<{ code: number; plan: Plan }> => {
    const run = await cli('plan', '--format', 'json', '--detailed-exitcode');
    expect(run.stderr).not.toMatch(/error/);
    return { code: run.code, plan: JSON.parse(run.stdout) as Plan };
  };
  const acting = (plan: Plan) => plan.changes.filter((c) => c.actions[0] !== 'no-op');

  it('applies everything, then a second apply and a detailed plan find nothing to do', async () => {
    const first = await cli('apply', '--yes');
    expect(first.stderr).not.toMatch(/\berror\b/);
    expect(first.code).toBe(0);
    const planned = /^Plan: (\d+) to create, 0 to update, 0 to replace, 0 to delete\./m.exec(first.stdout)?.[1];
    expect(planned).toBeDefined();
    expect(first.stdout).toContain(`Apply complete: ${planned ?? ''} succeeded, 0 failed, 0 skipped.`);
    expect(first.stdout).toMatch(/datasetGroup\.metadata\.dataset\.items\.import\s+retail-poc-metadata-items-[0-9a-f]{8}\s+ACTIVE/);

    const second = await cli('apply', '--yes');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes. The account matches poc.yaml.');

    const { code, plan } = await planJson();
    expect(code).toBe(0);
    expect(acting(plan)).toEqual([]);
  });

  it('plans one upload and one import per group that uses an edited data file', async () => {
    const file = join(poc.dir, 'data', 'interactions.csv');
    const original = readFileSync(file);
    appendFileSync(file, 'U00001,P0001,1732000000,View\n');
    try {
      const { code, plan } = await planJson();
      expect(code).toBe(2);
      const data = acting(plan).filter((c) => c.kind === 'dataUpload' || c.kind === 'datasetImport');
      // Training follows data: anything else planned is a new solution version, and the campaign moving to it.
      const follows = (c: PlannedChange): boolean => (c.kind === 'solutionVersion' && c.actions[0] === 'create') || (c.kind === 'campaign' && c.actions[0] === 'update');
      expect(acting(plan).filter((c) => !data.includes(c)).every(follows)).toBe(true);
      expect(data.map((c) => `${c.address} ${c.actions.join('/')}`).sort()).toEqual([
        'datasetGroup.baseline.dataset.interactions.import create',
        'datasetGroup.metadata.dataset.interactions.import create',
        'upload.data/interactions.csv create',
      ]);
      const imports = acting(plan).filter((c) => c.kind === 'datasetImport');
      for (const change of imports) expect(change.reasons).toContain('data-changed');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('plans a new versioned schema and an in-place dataset update for a compatible items schema change', async () => {
    const file = join(poc.dir, 'schemas', 'items.avsc');
    const original = readFileSync(file, 'utf8');
    const schema = JSON.parse(original) as { fields: unknown[] };
    schema.fields.push({ name: 'MATERIAL', type: ['null', 'string'], categorical: true });
    writeFileSync(file, JSON.stringify(schema, null, 2));
    const restoreData = addEmptyColumn(join(poc.dir, 'data', 'items.csv'), 'MATERIAL');
    try {
      const { code, plan } = await planJson();
      expect(code).toBe(2);
      const changes = acting(plan);
      expect(changes.find((c) => c.address === 'schema.items')?.actions).toEqual(['create']);
      const dataset = changes.find((c) => c.address === 'datasetGroup.metadata.dataset.items');
      expect(dataset?.actions).toEqual(['update']);
      expect(dataset?.fieldDiffs.map((d) => d.field)).toContain('schema');
      const text = await cli('plan');
      expect(text.stdout).toMatch(/~ datasetGroup\.metadata\.dataset\.items/);
    } finally {
      writeFileSync(file, original);
      restoreData();
    }
  });

  it('plans a replacement naming the schema field when the interactions schema changes', async () => {
    const file = join(poc.dir, 'schemas', 'interactions.avsc');
    const original = readFileSync(file, 'utf8');
    const schema = JSON.parse(original) as { fields: unknown[] };
    schema.fields.push({ name: 'DEVICE', type: ['null', 'string'], categorical: true });
    writeFileSync(file, JSON.stringify(schema, null, 2));
    const restoreData = addEmptyColumn(join(poc.dir, 'data', 'interactions.csv'), 'DEVICE');
    try {
      const { plan } = await planJson();
      const dataset = plan.changes.find((c) => c.address === 'datasetGroup.baseline.dataset.interactions');
      expect(dataset?.actions).toEqual(['delete', 'create']);
      expect(dataset?.fieldDiffs.find((d) => d.forcesReplacement)?.field).toBe('schema');
    } finally {
      writeFileSync(file, original);
      restoreData();
    }
  });

  it('reports changes made by another client as drift and exits 2', async () => {
    const { personalize } = poc;
    const inSync = await cli('drift');
    expect(inSync.code).toBe(0);

    const groups = (await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? [];
    const arnOf = (name: string): string => groups.find((g) => g.name === name)?.datasetGroupArn ?? '';
    const metadataDatasets = (await personalize.send(new ListDatasetsCommand({ datasetGroupArn: arnOf('retail-poc-metadata') }))).datasets ?? [];
    const users = metadataDatasets.find((d) => d.datasetType === 'USERS');
    await personalize.send(new DeleteDatasetCommand({ datasetArn: users?.datasetArn ?? '' }));
    await personalize.send(new TagResourceCommand({ resourceArn: arnOf('retail-poc-metadata'), tags: [{ tagKey: 'poc:name', tagValue: 'someone-else' }] }));
    await waitUntil(async () => ((await personalize.send(new ListDatasetsCommand({ datasetGroupArn: arnOf('retail-poc-metadata') }))).datasets ?? []).every((d) => d.datasetType !== 'USERS'));

    // A whole dataset group deleted the way the console does it: solutions, datasets, then the group.
    const baseline = arnOf('retail-poc-baseline');
    for (const sol of (await personalize.send(new ListSolutionsCommand({ datasetGroupArn: baseline }))).solutions ?? []) {
      await personalize.send(new DeleteSolutionCommand({ solutionArn: sol.solutionArn ?? '' }));
    }
    await waitUntil(async () => ((await personalize.send(new ListSolutionsCommand({ datasetGroupArn: baseline }))).solutions ?? []).length === 0);
    for (const d of (await personalize.send(new ListDatasetsCommand({ datasetGroupArn: baseline }))).datasets ?? []) {
      await personalize.send(new DeleteDatasetCommand({ datasetArn: d.datasetArn ?? '' }));
    }
    await waitUntil(async () => ((await personalize.send(new ListDatasetsCommand({ datasetGroupArn: baseline }))).datasets ?? []).length === 0);
    await personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: baseline }));
    await waitUntil(async () => ((await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? []).every((g) => g.name !== 'retail-poc-baseline'));

    const drift = await cli('drift');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/^Missing[^\n]*\n(\s+\S+ [^\n]*\n)*\s+datasetGroup\.baseline /m);
    expect(drift.stdout).toMatch(/^Missing[^\n]*\n(\s+\S+ [^\n]*\n)*\s+datasetGroup\.metadata\.dataset\.users /m);
    expect(drift.stdout).toMatch(/datasetGroup\.metadata[^.\n]*\n?.*(tag|poc:name)/);

    const repaired = await cli('apply', '--yes');
    expect(repaired.code).toBe(0);
    expect((await cli('drift')).code).toBe(0);
  });
});

/** Adds an empty column to a CSV file (as a user does with a schema change); returns an undo. */
function addEmptyColumn(file: string, column: string): () => void {
  const original = readFileSync(file);
  const lines = original.toString('utf8').split('\n');
  const edited = lines.map((line, i) => (line === '' ? line : i === 0 ? `${line},${column}` : `${line},`));
  writeFileSync(file, edited.join('\n'));
  return () => writeFileSync(file, original);
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

describe('--local', () => {
  it('keeps the emulator state in .poc/local beside poc.yaml, so a second run changes nothing', async () => {
    const dir = copyExample();
    const first = await runCli(['apply', '--local', '--yes'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, '.poc', 'local'))).toBe(true);
    const plan = await runCli(['plan', '--local', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });
});
