import { invalidInput, notFound, PersonalizeError } from './errors.ts';
import type { KindModule, ServiceState } from './operation.ts';
import { ARN, TAG_KEY, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord, Tag } from './store.ts';

/** The documented per-resource limit; the model's list allows 200, the service refuses more than 50. */
const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Kinds that cannot be tagged (the model gives schemas and metric attributions no tags). */
const UNTAGGABLE = new Set(['schema', 'metricAttribution']);

/** Merges `added` into `existing` (same key: new value wins) after the service's tag rules. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  for (const tag of added) {
    if (tag.tagKey.toLowerCase().startsWith('aws:')) throw invalidInput(`Tag key ${tag.tagKey} uses the reserved prefix aws:.`);
    if (!TAG_CHARS.test(tag.tagKey) || !TAG_CHARS.test(tag.tagValue)) {
      throw invalidInput(`Tag ${tag.tagKey}=${tag.tagValue} has characters outside letters, digits, spaces and _.:/=+-@.`);
    }
  }
  const merged = new Map(existing.map((t) => [t.tagKey, t]));
  for (const tag of added) merged.set(tag.tagKey, tag);
  if (merged.size > MAX_TAGS) {
    throw new PersonalizeError('TooManyTagsException', `A resource can have at most ${MAX_TAGS} tags; this request would give it ${merged.size}.`);
  }
  return [...merged.values()];
}

function taggable(state: ServiceState, arn: string): ResourceRecord {
  const record = state.store.get(arn);
  if (record === undefined || UNTAGGABLE.has(record.kind)) throw notFound('resource', arn);
  return record;
}

export const tagsModule: KindModule = {
  kind: 'tag',
  operations: {
    TagResource: {
      input: structure({ resourceArn: required(ARN), tags: required(TAGS) }),
      run(state, input) {
        const record = taggable(state, input.string('resourceArn'));
        record.tags = mergeTags(record.tags, input.tags());
        state.store.save();
        return {};
      },
    },
    UntagResource: {
      input: structure({ resourceArn: required(ARN), tagKeys: required({ type: 'list', max: 200, member: TAG_KEY }) }),
      run(state, input) {
        const record = taggable(state, input.string('resourceArn'));
        const keys = new Set(input.raw.tagKeys as string[]);
        if (keys.size > MAX_TAGS) throw new PersonalizeError('TooManyTagKeysException', `At most ${MAX_TAGS} tag keys can be removed at once.`);
        record.tags = record.tags.filter((t) => !keys.has(t.tagKey));
        state.store.save();
        return {};
      },
    },
    ListTagsForResource: {
      input: structure({ resourceArn: required(ARN) }),
      run(state, input) {
        return { tags: taggable(state, input.string('resourceArn')).tags };
      },
    },
  },
};
