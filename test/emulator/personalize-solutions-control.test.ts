import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDatasetGroupCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DeleteDatasetCommand,
  DeleteSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  StopSolutionVersionCreationCommand,
  type PersonalizeClient,
  type SolutionVersionSummary,
} from '@aws-sdk/client-personalize';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, startHarness, tempStateDir, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, settledVersion, syntheticInteractions } from './personalize-solutions-helpers.ts';

const harnesses: Harness[] = [];
async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.dispose();
});

async function versionsOf(p: PersonalizeClient, solutionArn: string): Promise<SolutionVersionSummary[]> {
  return (await p.send(new ListSolutionVersionsCommand({ solutionArn }))).solutionVersions ?? [];
}

async function statusOf(p: PersonalizeClient, solutionVersionArn: string): Promise<string> {
  return (await p.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion?.status ?? '';
}

describe('stopping and in-progress rules', () => {
  it('stops a pending version at once and a training one through CREATE STOPPING', async () => {
    // 10 s of training: 1 s pending, 9 s in progress, 1 s stopping.
    const h = await harness({ durations: { training: 10_000 } });
    const { groupArn, datasets } = await groupWithData(h.personalize, h.s3, 'stops', syntheticInteractions(1200, 50));
    const solutionArn = await activeSolution(h.personalize, { name: 'stops', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') });

    const { solutionVersionArn: pending = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    expect(await statusOf(h.personalize, pending)).toBe('CREATE PENDING');
    await h.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: pending }));
    expect(await statusOf(h.personalize, pending)).toBe('CREATE STOPPED');

    const { solutionVersionArn: running = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    await waitFor(() => statusOf(h.personalize, running), (s) => s === 'CREATE IN_PROGRESS');
    const deleteSolution = await errorOf(h.personalize.send(new DeleteSolutionCommand({ solutionArn })));
    expect(deleteSolution).toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining(running) });
    const deleteDataset = await errorOf(h.personalize.send(new DeleteDatasetCommand({ datasetArn: datasets.Interactions })));
    expect(deleteDataset.name).toBe('ResourceInUseException');

    await h.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: running }));
    expect(await statusOf(h.personalize, running)).toBe('CREATE STOPPING');
    expect((await settledVersion(h.personalize, running)).status).toBe('CREATE STOPPED');
    const again = await errorOf(h.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: running })));
    expect(again.name).toBe('ResourceInUseException');
    const metrics = await errorOf(h.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn: running })));
    expect(metrics.name).toBe('ResourceInUseException');
    // Nothing is training any more, so the solution can go.
    await h.personalize.send(new DeleteSolutionCommand({ solutionArn }));
  }, 20_000);

  it('refuses a 21st version while 20 are pending or in progress', async () => {
    const h = await harness({ durations: { training: 600_000 } });
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'quota', syntheticInteractions(1000, 50));
    const solutionArn = await activeSolution(h.personalize, { name: 'quota', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    for (let i = 0; i < 20; i += 1) await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    const over = await errorOf(h.personalize.send(new CreateSolutionVersionCommand({ solutionArn })));
    expect(over.name).toBe('LimitExceededException');
    const [first] = await versionsOf(h.personalize, solutionArn);
    await h.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: first?.solutionVersionArn }));
    const { solutionVersionArn } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    expect(solutionVersionArn).toBeDefined();
  }, 20_000);
});

describe('readiness', () => {
  it('needs an ACTIVE dataset group for a solution and an ACTIVE solution for a version', async () => {
    const h = await harness();
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'ready', syntheticInteractions(1000, 50));
    await h.stop();
    // Restarted with slow creates: new groups and solutions stay pending for a while.
    const slow = await harness({ stateDir: h.stateDir, durations: { create: 60_000 } });
    const { datasetGroupArn } = await slow.personalize.send(new CreateDatasetGroupCommand({ name: 'not-ready' }));
    const pendingGroup = await errorOf(slow.personalize.send(new CreateSolutionCommand({ name: 'early', datasetGroupArn, recipeArn: recipe('aws-sims') })));
    expect(pendingGroup.name).toBe('ResourceInUseException');
    const { solutionArn } = await slow.personalize.send(new CreateSolutionCommand({ name: 'slow', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') }));
    const pendingSolution = await errorOf(slow.personalize.send(new CreateSolutionVersionCommand({ solutionArn })));
    expect(pendingSolution).toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining('CREATE PENDING') });
  });
});

describe('automatic training', () => {
  it('creates an AUTOMATIC version after the solution becomes ACTIVE when enabled, none when disabled', async () => {
    const h = await harness();
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'auto', syntheticInteractions(1200, 50));
    const auto = await activeSolution(h.personalize, { name: 'auto-on', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count'), performAutoTraining: true });
    const off = await activeSolution(h.personalize, { name: 'auto-off', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    const [version] = await waitFor(() => versionsOf(h.personalize, auto), (list) => list.length > 0);
    expect(version).toMatchObject({ trainingType: 'AUTOMATIC', trainingMode: 'AUTOTRAIN' });
    expect((await settledVersion(h.personalize, version?.solutionVersionArn ?? '')).status).toBe('ACTIVE');
    expect(await versionsOf(h.personalize, off)).toEqual([]);
    // With zero durations there is no recurring schedule: still exactly one.
    await new Promise((r) => setTimeout(r, 200));
    expect(await versionsOf(h.personalize, auto)).toHaveLength(1);
  });

  it('defaults to on when performAutoTraining is omitted', async () => {
    const h = await harness();
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'default', syntheticInteractions(1200, 50));
    const { solutionArn = '' } = await h.personalize.send(new CreateSolutionCommand({ name: 'default-on', datasetGroupArn: groupArn, recipeArn: recipe('aws-sims') }));
    const list = await waitFor(() => versionsOf(h.personalize, solutionArn), (l) => l.length > 0);
    expect(list[0]?.trainingType).toBe('AUTOMATIC');
  });

  it('trains again on the scaled schedule (one day = 24 training durations)', async () => {
    // One "hour" is 5 ms, so rate(1 day) is every 120 ms.
    const h = await harness({ durations: { training: 5 } });
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'daily', syntheticInteractions(1200, 50));
    const solutionArn = await activeSolution(h.personalize, {
      name: 'daily',
      datasetGroupArn: groupArn,
      recipeArn: recipe('aws-popularity-count'),
      performAutoTraining: true,
      solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(1 day)' } },
    });
    const list = await waitFor(() => versionsOf(h.personalize, solutionArn), (l) => l.length >= 3, 10_000);
    expect(list.every((v) => v.trainingType === 'AUTOMATIC')).toBe(true);
  }, 15_000);

  it('skips the first automatic version when a manual one comes first', async () => {
    // One "hour" is 300 ms; the next round would be a week (50 s) later.
    const h = await harness({ durations: { training: 300 } });
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'manual', syntheticInteractions(1200, 50));
    const solutionArn = await activeSolution(h.personalize, { name: 'manual', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count'), performAutoTraining: true });
    const { solutionVersionArn = '' } = await h.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    expect((await settledVersion(h.personalize, solutionVersionArn)).status).toBe('ACTIVE');
    await new Promise((r) => setTimeout(r, 500));
    const list = await versionsOf(h.personalize, solutionArn);
    expect(list.map((v) => v.trainingType)).toEqual(['MANUAL']);
  });
});

describe('restart', () => {
  it('resumes a version that was training when the emulator stopped', async () => {
    const stateDir = tempStateDir();
    const first = await harness({ stateDir, durations: { training: 1500 } });
    const { groupArn } = await groupWithData(first.personalize, first.s3, 'resume', syntheticInteractions(1200, 50));
    const solutionArn = await activeSolution(first.personalize, { name: 'resume', datasetGroupArn: groupArn, recipeArn: recipe('aws-user-personalization') });
    const { solutionVersionArn = '' } = await first.personalize.send(new CreateSolutionVersionCommand({ solutionArn }));
    await waitFor(() => statusOf(first.personalize, solutionVersionArn), (s) => s === 'CREATE IN_PROGRESS');
    // Training 1200 rows takes milliseconds, but ACTIVE also waits for the configured duration.
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(first.personalize, solutionVersionArn)).toBe('CREATE IN_PROGRESS');
    await first.stop();
    // A folder left by a solution whose deletion a crash cut short goes at the next start.
    const ghost = join(stateDir, 'personalize', 'models', 'ghost', 'deadbeef');
    mkdirSync(ghost, { recursive: true });

    const second = await harness({ stateDir, durations: { training: 1500 } });
    expect(await statusOf(second.personalize, solutionVersionArn)).toBe('CREATE IN_PROGRESS');
    const done = await settledVersion(second.personalize, solutionVersionArn);
    expect(done.status).toBe('ACTIVE');
    expect(done.trainingHours).toBeGreaterThan(0);
    const { metrics } = await second.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
    expect(metrics?.precision_at_10).toBeGreaterThanOrEqual(0);
    expect(Object.keys(metrics ?? {})).toHaveLength(8);
    expect(existsSync(ghost)).toBe(false);
  }, 20_000);
});
