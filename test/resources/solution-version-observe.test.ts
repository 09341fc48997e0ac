import { describe, expect, it } from 'vitest';
import type { Clients } from '../../src/aws/clients.ts';
import type { DesiredNode, KindContext } from '../../src/resources/kind.ts';
import { KINDS } from '../../src/resources/registry.ts';

// Plan reads a solution's newest version from the DescribeSolution the solution's observe makes
// (issue 3's call budget); ListSolutionVersions only when the latest version is not one poc.yaml trained.
describe("a solution version's observe", () => {
  const group = 'arn:aws:personalize:us-east-1:000000000000:dataset-group/p-g';
  const solutionArn = 'arn:aws:personalize:us-east-1:000000000000:solution/p-g-s';
  const manual = { solutionVersionArn: `${solutionArn}/11111111`, status: 'ACTIVE', trainingType: 'MANUAL', creationDateTime: new Date(1000) };
  const automatic = { solutionVersionArn: `${solutionArn}/22222222`, status: 'ACTIVE', trainingType: 'AUTOMATIC', creationDateTime: new Date(2000) };
  const node: DesiredNode = { address: 'datasetGroup.g.solution.s.version', kind: 'solutionVersion', name: 'p-g-s', properties: { solution: 'p-g-s' }, dependsOn: [], inputs: { datasetGroup: 'p-g' } };

  /** A context whose Personalize client answers from `answers` by operation and records the operations. */
  function stubbed(latest: object): { ctx: KindContext; ops: string[] } {
    const ops: string[] = [];
    const answers: Record<string, object> = {
      ListDatasetGroupsCommand: { datasetGroups: [{ name: 'p-g', datasetGroupArn: group }] },
      DescribeSolutionCommand: { solution: { solutionArn, latestSolutionVersion: latest } },
      ListSolutionVersionsCommand: { solutionVersions: [manual, automatic] },
      ListTagsForResourceCommand: { tags: [] },
    };
    const personalize = {
      send: async (command: object) => {
        const op = command.constructor.name;
        ops.push(op.replace(/Command$/, ''));
        const answer = answers[op];
        if (answer === undefined) throw new Error(`unexpected ${op}`);
        return answer;
      },
    };
    const ctx: KindContext = { clients: { personalize } as unknown as Clients, pocName: 'p', region: 'us-east-1', ownerTags: {}, cache: new Map(), resolve: () => undefined };
    return { ctx, ops };
  }

  it('reads the latest version from DescribeSolution when poc.yaml trained it', async () => {
    const { ctx, ops } = stubbed(manual);
    expect((await KINDS.solutionVersion.observe(ctx, node))?.id).toBe(manual.solutionVersionArn);
    expect(ops).toEqual(['ListDatasetGroups', 'DescribeSolution', 'ListTagsForResource']);
  });

  it('lists the versions for the newest manual one when the latest was trained automatically', async () => {
    const { ctx, ops } = stubbed(automatic);
    expect((await KINDS.solutionVersion.observe(ctx, node))?.id).toBe(manual.solutionVersionArn);
    expect(ops).toEqual(['ListDatasetGroups', 'DescribeSolution', 'ListSolutionVersions', 'ListTagsForResource']);
  });
});
