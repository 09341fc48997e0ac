import { listOwnedGroups } from './dataset-group.ts';
import { orUndefined } from './errors.ts';
import type { KindContext, KindName, ObservedResource, Props } from './kind.ts';
import { listTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { isOwned } from './tags.ts';

/** One listed resource below a dataset group of this POC that carries the POC's ownership tags. */
export interface OwnedInGroup<S> {
  /** The group, as listOwnedGroups observed it. */
  readonly group: ObservedResource;
  readonly summary: S;
  readonly arn: string;
  readonly name: string;
  readonly tags: Record<string, string>;
}

/**
 * The resources of one kind that this POC owns below its dataset groups, in list order: the
 * owned groups, then each group's `list`, then each resource's tags, every level's calls in
 * parallel (round trips are the cost). A summary whose `arnOf` or `nameOf` is undefined is skipped.
 */
export async function listOwnedInGroups<S>(
  ctx: KindContext,
  list: (ctx: KindContext, groupArn: string) => Promise<S[]>,
  arnOf: (summary: S) => string | undefined,
  nameOf: (summary: S) => string | undefined,
): Promise<OwnedInGroup<S>[]> {
  const perGroup = await Promise.all(
    (await listOwnedGroups(ctx)).map(async (group) => {
      const listed = (await list(ctx, group.id)).flatMap((summary) => {
        const arn = arnOf(summary);
        const name = nameOf(summary);
        return arn === undefined || name === undefined ? [] : [{ group, summary, arn, name }];
      });
      const tags = await Promise.all(listed.map(async ({ arn }) => (await orUndefined(listTags(ctx, arn))) ?? {}));
      return listed.map((found, i) => ({ ...found, tags: tags[i] ?? {} }));
    }),
  );
  return perGroup.flat().filter((found) => isOwned(ctx, found.tags));
}

/** A resource's key in poc.yaml: its name without the `<group name>-` it was given. */
export function keyInGroup(groupName: string, name: string): string {
  return name.startsWith(`${groupName}-`) ? name.slice(groupName.length + 1) : name;
}

/** What listOwned reports of a found resource: what its List summary says, without a Describe. */
export function observedFromSummary(kind: KindName, address: string, found: OwnedInGroup<{ readonly status?: string | undefined }>, properties: Props): ObservedResource {
  const status = found.summary.status ?? 'UNKNOWN';
  return { address, kind, name: found.name, id: found.arn, status, readiness: personalizeReadiness(status), properties, tags: found.tags };
}
