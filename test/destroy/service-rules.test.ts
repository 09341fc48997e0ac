import { rmSync } from 'node:fs';
import { CreateDatasetCommand, CreateDatasetGroupCommand, CreateSolutionVersionCommand, DescribeDatasetGroupCommand, ListSchemasCommand, ListSolutionsCommand } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import { ZERO_DURATIONS } from '../../src/emulator/index.ts';
import { runCli } from '../cli/harness.ts';
import { startChaosEmulator, writeSmallPoc } from '../chaos/harness.ts';
import { leftovers } from './leftovers.ts';

/** Once applied, trainings last far longer than the test may: destroy must stop one, not wait for it. */
const LONG_TRAINING = { ...ZERO_DURATIONS, training: 120_000 };

describe('destroy against the service delete rules', () => {
  it('stops a running training before deleting its solution, and keeps a schema another dataset group uses', async () => {
    const name = 'rules-poc';
    const dir = writeSmallPoc(name);
    const quick = await startChaosEmulator(dir, undefined, ZERO_DURATIONS);
    const apply = await runCli(['apply', '--yes', '--endpoint', quick.emu.url], { cwd: dir });
    await quick.close();
    expect(apply.code, apply.stderr).toBe(0);
    // The same state, served with long trainings.
    const chaos = await startChaosEmulator(dir, undefined, LONG_TRAINING);
    const p = chaos.clients.personalize;
    const cli = (...argv: string[]) => runCli([...argv, '--endpoint', chaos.emu.url], { cwd: dir });
    try {
      // Another client starts a training on one of our solutions...
      const solutions = (await p.send(new ListSolutionsCommand({}))).solutions ?? [];
      const solutionArn = solutions.find((s) => s.name === `${name}-a-popularity`)?.solutionArn;
      await p.send(new CreateSolutionVersionCommand({ solutionArn }));
      // ...and another team's dataset group uses our schema.
      const schemaArn = ((await p.send(new ListSchemasCommand({}))).schemas ?? []).find((s) => s.name?.startsWith(`${name}-`))?.schemaArn;
      const other = await p.send(new CreateDatasetGroupCommand({ name: 'other-team' }));
      await waitActive(() => p.send(new DescribeDatasetGroupCommand({ datasetGroupArn: other.datasetGroupArn })).then((o) => o.datasetGroup?.status));
      await p.send(new CreateDatasetCommand({ name: 'other-team-interactions', datasetGroupArn: other.datasetGroupArn, datasetType: 'Interactions', schemaArn }));

      const started = Date.now();
      const run = await cli('destroy', '--yes');
      expect(run.code, run.stderr).toBe(0);
      // Far less than one training: the running version was stopped, not waited for.
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(run.stdout).toMatch(/^Kept schema\.interactions-[0-9a-f]{8} \(rules-poc-interactions-[0-9a-f]{8}\): something outside this POC still uses it \(.*other-team.*\)\./m);
      const left = await leftovers(chaos.clients, name);
      expect(left).toEqual([expect.stringMatching(/^schema rules-poc-interactions-[0-9a-f]{8}$/)]);
    } finally {
      await chaos.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

async function waitActive(status: () => Promise<string | undefined>): Promise<void> {
  for (let i = 0; i < 100 && (await status()) !== 'ACTIVE'; i++) await new Promise((r) => setTimeout(r, 20));
}
