import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListDatasetGroupsCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.ts';
import { copyExample, runCli, useEmulatedPoc } from './harness.ts';

/** The example's `environments` block replaced by `overlay`, so each test states the environments it needs. */
function withEnvironments(dir: string, overlay: string): void {
  const file = join(dir, 'poc.yaml');
  const text = readFileSync(file, 'utf8').replace(/^environments:\n(?:[ #].*\n|\n)*/m, '');
  writeFileSync(file, `${text}\n${overlay.trim()}\n`);
}

/** One poc.yaml, several deployments: `--env` picks the overlay; names never collide. */
describe('environments', () => {
  const poc = useEmulatedPoc(() => {
    const dir = copyExample();
    withEnvironments(dir, 'environments:\n  dev:\n    name: retail-poc-dev\n  prod:\n    region: us-east-1\n');
    return dir;
  });
  const { cli } = poc;

  it('names every resource, the tag and the stack after the environment, and records it in the plan', async () => {
    const run = await cli('plan', '--env', 'dev', '--format', 'json');
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.pocName).toBe('retail-poc-dev');
    expect(plan.target.environment).toBe('dev');
    const names = plan.changes.filter((c) => c.kind !== 'dataUpload').map((c) => c.name);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(name).toMatch(/^retail-poc-dev-/);
    expect(plan.changes.find((c) => c.address === 'environment')?.name).toBe('retail-poc-dev-env');
    const base = await poc.plan();
    expect(base.pocName).toBe('retail-poc');
    expect(base.changes.find((c) => c.address === 'environment')?.name).toBe('retail-poc-env');
  });

  it('applies dev from its saved plan and the top level beside it in one account and region, without collisions', async () => {
    const saved = await cli('plan', '--env', 'dev', '--out', 'plans/dev.json');
    expect(saved.code, saved.stderr).toBe(0);
    // The plan remembers its environment: no --env needed to apply it, and a different one is refused.
    const wrong = await cli('apply', 'plans/dev.json', '--env', 'prod');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/error \[plan-environment-mismatch\].*environment "dev", not --env prod/);
    const dev = await cli('apply', 'plans/dev.json');
    expect(dev.code, dev.stderr).toBe(0);
    const top = await cli('apply', '--yes');
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toMatch(/^Apply complete: \d+ succeeded, 0 failed, 0 skipped\./m);

    const groups = ((await poc.personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups ?? []).map((g) => g.name).sort();
    expect(groups).toEqual(['retail-poc-baseline', 'retail-poc-dev-baseline', 'retail-poc-dev-metadata', 'retail-poc-metadata']);
    expect((await cli('plan', '--env', 'dev', '--detailed-exitcode')).code).toBe(0);
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    expect((await cli('drift', '--env', 'dev')).code).toBe(0);
  });

  it('an unknown --env names the closest environment', async () => {
    const run = await cli('plan', '--env', 'prd');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^poc\.yaml:\d+:\d+: error \[unknown-environment\] --env prd: no such environment under environments \(declared: dev, prod\); did you mean "prod"\?/m);
  });
});

describe('environment checks in validate', () => {
  const validate = async (overlay: string) => {
    const dir = copyExample();
    withEnvironments(dir, overlay);
    return runCli(['validate'], { cwd: dir });
  };

  it('locates a bad region and a name too long on the overlay line', async () => {
    const run = await validate(`
environments:
  eu:
    region: eu-west-9
  long:
    name: ${'r'.repeat(40)}
`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^poc\.yaml:\d+:13: error \[unknown-region\] environment "eu": region "eu-west-9"/m);
    expect(run.stderr).toMatch(/^poc\.yaml:\d+:11: error \[name-too-long\] environment "long": generated names reach \d+ characters; Personalize allows at most 63/m);
  });

  it('warns when two environments would take the same names in one region', async () => {
    const run = await validate(`
environments:
  a:
    name: retail-poc-x
  b:
    name: retail-poc-x
`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning \[environment-collision\] environments "a" and "b" use the same resource names \(retail-poc-x-\*\) in us-east-1/);
  });

  it('rejects an overlay field that does not exist, with the schema', async () => {
    const run = await validate(`
environments:
  dev:
    nmae: retail-poc-dev
`);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^poc\.yaml:\d+:\d+: error \[[a-z-]+\].*nmae/m);
  });
});
