import { DescribeSolutionCommand, UpdateSolutionCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import type { DesiredNode, KindContext } from '../../src/resources/kind.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { startHarness, waitFor, type Harness } from '../emulator/personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, syntheticInteractions, train } from '../emulator/personalize-solutions-helpers.ts';

// Plan reads a solution's newest version from the DescribeSolution the solution's observe makes
// (issue 3's call budget), and lists the versions only when the latest is one the service trained
// by itself (automatic training), which poc.yaml did not ask for.
describe("a solution version's observe, on the emulator", () => {
  const node: DesiredNode = { address: 'datasetGroup.g.solution.s.version', kind: 'solutionVersion', name: 'p-g-s', properties: { solution: 'p-g-s' }, dependsOn: [], inputs: { datasetGroup: 'p-g' } };
  let h: Harness;
  let clients: Clients;
  let solutionArn: string;
  let manualArn: string;
  const ops: string[] = [];

  beforeAll(async () => {
    // One emulated hour is 20 ms, so automatic training at rate(1 day) comes every 480 ms.
    h = await startHarness({ durations: { training: 20 } });
    clients = createClients({ region: 'us-east-1', endpoint: h.emu.url, maxAttempts: 1 });
    clients.personalize.middlewareStack.add(
      (next, context) => async (args) => {
        ops.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'recordOperations' },
    );
    const { groupArn } = await groupWithData(h.personalize, h.s3, 'p-g', syntheticInteractions(1200, 50));
    solutionArn = await activeSolution(h.personalize, { name: 'p-g-s', datasetGroupArn: groupArn, recipeArn: recipe('aws-popularity-count') });
    manualArn = (await train(h.personalize, solutionArn)).solutionVersionArn ?? '';
  }, 30_000);
  afterAll(async () => {
    clients.destroy();
    await h.dispose();
  });

  async function observe(): Promise<string | undefined> {
    ops.length = 0;
    const ctx: KindContext = { clients, pocName: 'p', region: 'us-east-1', ownerTags: {}, cache: new Map(), resolve: () => undefined };
    return (await KINDS.solutionVersion.observe(ctx, node))?.id;
  }

  it('reads the latest version from DescribeSolution when poc.yaml trained it', async () => {
    expect(await observe()).toBe(manualArn);
    expect(ops).toEqual(['ListDatasetGroups', 'DescribeSolution', 'ListTagsForResource']);
  });

  it('lists the versions for the newest manual one once the latest was trained automatically', async () => {
    await h.personalize.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(1 day)' } } }));
    await waitFor(() => h.personalize.send(new DescribeSolutionCommand({ solutionArn })), (r) => r.solution?.latestSolutionVersion?.trainingType === 'AUTOMATIC', 10_000);
    expect(await observe()).toBe(manualArn);
    expect(ops).toEqual(['ListDatasetGroups', 'DescribeSolution', 'ListSolutionVersions', 'ListTagsForResource']);
  }, 15_000);
});
