import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.ts';
import { localStateDir } from '../../src/cli/target.ts';
import { startEmulator, ZERO_DURATIONS } from '../../src/emulator/index.ts';
import { leftovers as leftoversIn } from '../destroy/leftovers.ts';
import { copyExample, runCli } from './harness.ts';

/** A poc.yaml for the same POC whose only dataset group is new: with prune, everything live would go. */
const EMPTIED = [
  'version: 1',
  'name: retail-poc',
  'region: us-east-1',
  'environment:',
  '  stack: { name: retail-poc-env }',
  'schemas:',
  '  interactions: schemas/interactions.avsc',
  'datasetGroups:',
  '  fresh:',
  '    datasets:',
  '      interactions: { schema: interactions, data: data/interactions.csv }',
  '',
].join('\n');

/**
 * The example POC (the repository's poc.yaml) applied and destroyed with `--local`, as `npm start`
 * runs it: each command starts the embedded emulator on `.poc/local`, and the test reads what is
 * left by serving that same state between commands.
 */
describe('poc destroy --local of the example POC', () => {
  let dir: string;
  let applied: string[];
  const cli = (argv: string[], options: { interactive?: boolean; answer?: boolean } = {}) => runCli([...argv, '--local'], { cwd: dir, ...options });
  const leftovers = async (pocName: string): Promise<string[]> => {
    const emu = await startEmulator({ stateDir: localStateDir(dir), durations: ZERO_DURATIONS });
    const clients = createClients({ region: 'us-east-1', endpoint: emu.url });
    try {
      return await leftoversIn(clients, pocName);
    } finally {
      clients.destroy();
      await emu.close();
    }
  };

  beforeAll(async () => {
    dir = copyExample();
    const apply = await cli(['apply', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    applied = await leftovers('retail-poc');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses without --yes when there is no terminal to ask on, and when the answer is no', async () => {
    // The example serves what it trains: destroy must meet campaigns, filters and event trackers too.
    for (const kind of ['datasetGroup', 'solution', 'campaign', 'filter', 'eventTracker']) expect(applied.some((l) => l.startsWith(`${kind} `)), kind).toBe(true);
    const ci = await cli(['destroy']);
    expect(ci.code).toBe(1);
    expect(ci.stderr).toContain('[needs-consent]');
    const json = await cli(['destroy', '--format', 'json']);
    expect(json.code).toBe(1);
    const plan = JSON.parse(json.stdout) as { changes: { actions: string[]; reasons: string[] }[]; summary: { delete: number } };
    expect(plan.summary.delete).toBe(plan.changes.length);
    expect(plan.changes.every((c) => c.actions.join() === 'delete' && c.reasons.join() === 'destroy')).toBe(true);
    const no = await cli(['destroy'], { interactive: true, answer: false });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('Destroy cancelled; nothing was deleted.');
    expect(await leftovers('retail-poc')).toEqual(applied);
  });

  it('documents in --help that protect blocks destroy and has no override', async () => {
    const help = await runCli(['destroy', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Protected resources (`protect: true` in poc.yaml) block the whole destroy');
    expect(help.stdout).toContain('--keep-environment');
  });

  it('is blocked by a protected resource, naming its poc.yaml line, and deletes nothing', async () => {
    const file = join(dir, 'poc.yaml');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const at = lines.indexOf('  baseline:');
    writeFileSync(file, [...lines.slice(0, at + 1), '    protect: true', ...lines.slice(at + 1)].join('\n'));
    try {
      const run = await cli(['destroy', '--yes']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`poc\\.yaml:${at + 1}:\\d+: error \\[protected-resource\\] datasetGroup\\.baseline \\(retail-poc-baseline\\) is protected`));
      expect(await leftovers('retail-poc')).toEqual(applied);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('reports what an emptied poc.yaml leaves undeclared, refuses to prune it all, and allows it with --allow-delete-all', async () => {
    writeFileSync(join(dir, 'emptied.yaml'), EMPTIED);
    const report = await cli(['plan', '-f', 'emptied.yaml']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Tagged with retail-poc but not declared in poc.yaml (left in place; enable prune to delete):');
    expect(report.stdout).toContain('datasetGroup.metadata (datasetGroup retail-poc-metadata)');

    for (const argv of [['plan', '-f', 'emptied.yaml', '--prune'], ['apply', '-f', 'emptied.yaml', '--prune', '--yes']]) {
      const refused = await cli(argv);
      expect(refused.code, argv.join(' ')).toBe(1);
      expect(refused.stderr).toMatch(/error \[delete-all-refused\] This plan would delete every resource of retail-poc that exists \(\d+: /);
      expect(refused.stderr).toContain('pass --allow-delete-all');
    }
    expect(await leftovers('retail-poc')).toEqual(applied);

    const allowed = await cli(['plan', '-f', 'emptied.yaml', '--prune', '--allow-delete-all']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^Plan: \d+ to create, \d+ to update, \d+ to replace, \d+ to delete\./m);
    expect(allowed.stdout).toContain('- datasetGroup.metadata will be deleted: tagged with this POC but not declared in poc.yaml');
  });

  it('prunes a solution removed from poc.yaml only when asked (prune: true or --prune), reporting it otherwise', async () => {
    const original = readFileSync(join(dir, 'poc.yaml'), 'utf8');
    const withoutSims = original.split('\n').filter((l) => !l.includes('sims: { recipe: aws-sims }')).join('\n');
    expect(withoutSims).not.toEqual(original);
    writeFileSync(join(dir, 'no-sims.yaml'), withoutSims);
    const kept = await cli(['apply', '-f', 'no-sims.yaml', '--yes']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/^Plan: 0 to create, 0 to update, 0 to replace, 0 to delete\.$/m);
    expect(kept.stdout).toContain('(left in place; enable prune to delete):\n  datasetGroup.baseline.solution.sims (solution retail-poc-baseline-sims)');
    expect(await leftovers('retail-poc')).toContain('solution retail-poc-baseline-sims');

    writeFileSync(join(dir, 'prune-sims.yaml'), `${withoutSims}\nprune: true\n`);
    const planned = await cli(['plan', '-f', 'prune-sims.yaml']);
    expect(planned.stdout).toMatch(/^Plan: 0 to create, 0 to update, 0 to replace, 1 to delete\./m);
    expect(planned.stdout).toContain('- datasetGroup.baseline.solution.sims will be deleted: tagged with this POC but not declared in poc.yaml');
    const pruned = await cli(['apply', '-f', 'no-sims.yaml', '--prune', '--yes']);
    expect(pruned.code, pruned.stderr).toBe(0);
    const now = await leftovers('retail-poc');
    expect(now.filter((l) => l.includes('sims'))).toEqual([]);
    expect(now).toContain('solution retail-poc-baseline-popularity');
  });

  it('deletes everything the POC owns, the stack and bucket last, and a second destroy finds nothing', async () => {
    const run = await cli(['destroy', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Plan: 0 to create, 0 to update, 0 to replace, \d+ to delete\./m);
    expect(run.stdout).toMatch(/^Destroy complete: \d+ deleted, 0 failed, 0 not reached, \d+ S3 object\(s\) deleted\./m);
    // The service's safe order: campaigns, solutions, event trackers and filters, datasets, schemas, groups; the stack last.
    const done = [...run.stderr.matchAll(/^(\S+): deleted/gm)].map((m) => m[1] ?? '');
    const last = (prefix: RegExp) => Math.max(...done.flatMap((a, i) => (prefix.test(a) ? [i] : [])));
    const first = (prefix: RegExp) => Math.min(...done.flatMap((a, i) => (prefix.test(a) ? [i] : [])));
    expect(last(/\.(campaign|recommender)\./)).toBeLessThan(first(/\.solution\./));
    expect(last(/\.solution\./)).toBeLessThan(first(/\.(eventTracker|filter\.)/));
    expect(last(/\.(eventTracker|filter\.)/)).toBeLessThan(first(/\.dataset\./));
    expect(last(/\.dataset\./)).toBeLessThan(first(/^schema\./));
    expect(last(/^schema\./)).toBeLessThan(first(/^datasetGroup\.[a-z]+$/));
    expect(done[done.length - 1]).toBe('environment');
    expect(await leftovers('retail-poc')).toEqual([]);

    const again = await cli(['destroy', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Nothing to destroy: nothing owned by retail-poc exists in us-east-1.\n');
  });
});
