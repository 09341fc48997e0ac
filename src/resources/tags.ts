import type { Tag } from '@aws-sdk/client-personalize';
import type { KindContext } from './kind.ts';

export const TAG_POC_NAME = 'poc:name';
export const TAG_MANAGED_BY = 'poc:managed-by';
export const MANAGED_BY = 'personalize-poc';
/** The full content hash of the data an import job read (its name only carries 8 characters). */
export const TAG_DATA_SHA256 = 'poc:data-sha256';

export function toServiceTags(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

export function fromServiceTags(tags: readonly { tagKey?: string | undefined; tagValue?: string | undefined }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.tagKey !== undefined) out[tag.tagKey] = tag.tagValue ?? '';
  return out;
}

/** True when the resource carries this POC's ownership tags. */
export function isOwned(ctx: KindContext, tags: Readonly<Record<string, string>>): boolean {
  return tags[TAG_POC_NAME] === ctx.pocName && tags[TAG_MANAGED_BY] === MANAGED_BY;
}
