import { ListSolutionsCommand, ListSolutionVersionsCommand, type SolutionSummary, type SolutionVersionSummary } from '@aws-sdk/client-personalize';
import { forget } from './cache.ts';
import { signalOf } from './call-options.ts';
import type { KindContext } from './kind.ts';
import { memoisedList } from './personalize-lists.ts';

// ListSolutions and ListSolutionVersions, paginated and memoised per run like the other lists.

const keySolutions = (groupArn: string): string => `personalize:ListSolutions:${groupArn}`;
const keyVersions = (solutionArn: string): string => `personalize:ListSolutionVersions:${solutionArn}`;

export function listSolutions(ctx: KindContext, datasetGroupArn: string): Promise<SolutionSummary[]> {
  return memoisedList(ctx, keySolutions(datasetGroupArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListSolutionsCommand({ datasetGroupArn, ...page }), signalOf(ctx));
    return { items: out.solutions, nextToken: out.nextToken };
  });
}

/** `fresh` drops the memo first: creating a version must see the versions as they are now. */
export function listSolutionVersions(ctx: KindContext, solutionArn: string, fresh = false): Promise<SolutionVersionSummary[]> {
  if (fresh) forget(ctx, keyVersions(solutionArn));
  return memoisedList(ctx, keyVersions(solutionArn), async (page) => {
    const out = await ctx.clients.personalize.send(new ListSolutionVersionsCommand({ solutionArn, ...page }), signalOf(ctx));
    return { items: out.solutionVersions, nextToken: out.nextToken };
  });
}

export const invalidateSolutions = {
  solutions: (ctx: KindContext, groupArn: string): void => forget(ctx, keySolutions(groupArn)),
  versions: (ctx: KindContext, solutionArn: string): void => forget(ctx, keyVersions(solutionArn)),
};

/**
 * The newest version among those trained on request (`trainingType` MANUAL; the service's own
 * automatic versions are not what poc.yaml asked for). Equal creation times, as an emulator at
 * zero duration gives, go to the one listed later.
 */
export function newestManual(versions: readonly SolutionVersionSummary[]): SolutionVersionSummary | undefined {
  let best: SolutionVersionSummary | undefined;
  for (const v of versions) {
    if (v.trainingType === 'AUTOMATIC') continue;
    if (best === undefined || (v.creationDateTime?.getTime() ?? 0) >= (best.creationDateTime?.getTime() ?? 0)) best = v;
  }
  return best;
}
