import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListDatasetGroupsCommand, TagResourceCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import { PLAN_MARKER } from '../../src/render/plan-markdown.ts';
import { copyExample, useEmulatedPoc } from './harness.ts';

/** Saved plans through the CLI: applied exactly, once, and never when stale. */
describe('saved plans', () => {
  const poc = useEmulatedPoc(copyExample);
  const { cli } = poc;
  const savePlan = async (name: string): Promise<string> => {
    const run = await cli('plan', '--out', `plans/${name}.json`);
    expect(run.code, run.stderr).toBe(0);
    return `plans/${name}.json`;
  };

  it('applies a saved plan once; a second apply, or a copy elsewhere, is refused naming when; a twin plan made before is stale', async () => {
    const first = await savePlan('first');
    const twin = await savePlan('twin');

    const applied = await cli('apply', first);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^Apply complete: \d+ succeeded, 0 failed, 0 skipped\./m);
    expect(existsSync(join(poc.dir, `${first}.applied`))).toBe(true);

    const again = await cli('apply', first);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error \[plan-already-applied\] The saved plan plans\/first\.json was already applied at \d{4}-\d\d-\d\dT[\d:.]+Z \(succeeded\)/);

    // Another runner with the same plan file but not its local mark: the bucket remembers.
    copyFileSync(join(poc.dir, first), join(poc.dir, 'plans', 'copy.json'));
    const copy = await cli('apply', 'plans/copy.json');
    expect(copy.code).toBe(1);
    expect(copy.stderr).toMatch(/error \[plan-already-applied\].*already applied at .*\(succeeded\).*Recorded in s3:\/\//);

    // The twin was planned when nothing existed: everything it would create now exists.
    const stale = await cli('apply', twin);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error [stale-plan] The saved plan plans/twin.json is stale; nothing was applied.');
    expect(stale.stderr).toMatch(/error \[stale-appeared\] datasetGroup\.baseline: was absent, now exists\./);

    const show = await cli('show', first, '--format', 'markdown');
    expect(show.code).toBe(0);
    expect(show.stdout.startsWith(PLAN_MARKER)).toBe(true);
    expect(show.stderr).toMatch(/This plan was applied at .* \(succeeded\); it cannot be applied again\./);
    expect((await cli('show', first, '--format', 'json')).stdout, 'json shows the saved bytes').toBe(readFileSync(join(poc.dir, first), 'utf8'));
    expect((await cli('show', first)).stdout).toMatch(/^Plan: \d+ to create, 0 to update, 0 to replace, 0 to delete\./);

    // A new plan saved under the same name is a new plan: the old mark goes with the old one.
    const replanned = await savePlan('first');
    expect(existsSync(join(poc.dir, `${replanned}.applied`))).toBe(false);
    const noChanges = await cli('apply', replanned);
    expect(noChanges.code, noChanges.stderr).toBe(0);
    expect(noChanges.stdout).toContain('No changes.');
  });

  it('refuses a plan whose data file was edited after planning, and changes nothing', async () => {
    const file = join(poc.dir, 'data', 'interactions.csv');
    const original = readFileSync(file);
    try {
      appendFileSync(file, 'U00001,P0001,1732000000,View\n');
      const plan = await savePlan('data-edit');
      appendFileSync(file, 'U00002,P0002,1732000001,View\n');
      const run = await cli('apply', plan);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error \[stale-manifest-changed\] poc\.yaml, its schemas or its data changed since the plan was made\./);
      expect(run.stderr).toMatch(/error \[stale-desired-changed\] upload\.data\/interactions\.csv/);
      expect(existsSync(join(poc.dir, `${plan}.applied`)), 'a refused plan is not spent').toBe(false);
    } finally {
      writeFileSync(file, original);
    }
    const after = await cli('plan', '--detailed-exitcode');
    expect(after.code, 'the refused apply changed nothing').toBe(0);
  });

  it('refuses a plan when the account changed outside poc.yaml after planning', async () => {
    const file = join(poc.dir, 'data', 'items.csv');
    const original = readFileSync(file);
    try {
      const lines = original.toString('utf8').trimEnd().split('\n');
      writeFileSync(file, `${[...lines, lines[lines.length - 1]?.replace(/^[^,]+/, 'P9999') ?? ''].join('\n')}\n`);
      const plan = await savePlan('outside');
      const groups = (await poc.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? [];
      const arn = groups.find((g) => g.name === 'retail-poc-metadata')?.datasetGroupArn ?? '';
      await poc.personalize.send(new TagResourceCommand({ resourceArn: arn, tags: [{ tagKey: 'poc:name', tagValue: 'someone-else' }] }));
      const run = await cli('apply', plan);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error \[stale-changed-outside\] datasetGroup\.metadata: changed outside poc\.yaml since the plan was made\./);
      expect(run.stderr).not.toMatch(/stale-manifest-changed/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('streams apply events as JSON lines with --json', async () => {
    const run = await cli('apply', '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; address?: string; ok?: boolean; summary?: { update: number } });
    expect(events[0]?.event).toBe('plan');
    expect(events.at(-1)).toMatchObject({ event: 'result', ok: true });
    const steps = events.filter((e) => e.event === 'start' || e.event === 'done');
    expect(steps.some((e) => e.event === 'start' && e.address === 'datasetGroup.metadata')).toBe(true);
    expect(steps.some((e) => e.event === 'done' && e.address === 'datasetGroup.metadata')).toBe(true);
  });
});
