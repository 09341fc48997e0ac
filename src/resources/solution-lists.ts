import { DescribeSolutionCommand, ListSolutionsCommand, ListSolutionVersionsCommand, type Solution, type SolutionSummary, type SolutionVersionSummary } from '@aws-sdk/client-personalize';
import { forget, memo } from './cache.ts';
import { signalOf } from './call-options.ts';
import { orUndefined } from './errors.ts';
import type { KindContext } from './kind.ts';
import { memoisedList } from './personalize-lists.ts';

// ListSolutions and ListSolutionVersions, paginated and memoised per run like the other lists,
// and the DescribeSolution that the solution and its version both read.

const keySolutions = (groupArn: string): string => `personalize:ListSolutions:${groupArn}`;
const keyVersions = (solutionArn: string): string => `personalize:ListSolutionVersions:${solutionArn}`;
const keyDescribed = (solutionArn: string): string => `personalize:DescribeSolution:${solutionArn}`;

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

/**
 * The solution as DescribeSolution gives it (undefined when there is none), memoised per run:
 * observing a solution reads its settings from it, and observing its version reads
 * `latestSolutionVersion`, so one call serves both.
 */
export function describedSolution(ctx: KindContext, solutionArn: string): Promise<Solution | undefined> {
  return memo(ctx, keyDescribed(solutionArn), async () => (await orUndefined(ctx.clients.personalize.send(new DescribeSolutionCommand({ solutionArn }), signalOf(ctx))))?.solution);
}

export const invalidateSolutions = {
  solutions: (ctx: KindContext, groupArn: string): void => forget(ctx, keySolutions(groupArn)),
  /** After a create, update or delete of the solution. */
  described: (ctx: KindContext, solutionArn: string): void => forget(ctx, keyDescribed(solutionArn)),
  /** A new version also changes the solution's `latestSolutionVersion`. */
  versions: (ctx: KindContext, solutionArn: string): void => forget(ctx, keyVersions(solutionArn), keyDescribed(solutionArn)),
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
