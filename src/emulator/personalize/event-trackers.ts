import { randomBytes, randomUUID } from 'node:crypto';
import { getDatasetGroup } from './dataset-groups.ts';
import { notFound, PersonalizeError } from './errors.ts';
import { beginCreate, beginDelete, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

export const EVENT_TRACKER = 'eventTracker';

/** An event tracker. The runtime (PutEvents) finds its group by `trackingId`; keep both names. */
export interface EventTrackerAttrs {
  readonly datasetGroupArn: string;
  readonly trackingId: string;
}

export function getEventTracker(state: ServiceState, arn: string): ResourceRecord<EventTrackerAttrs> {
  const record = state.store.find<EventTrackerAttrs>(EVENT_TRACKER, arn);
  if (record === undefined) throw notFound('event tracker', arn);
  return record;
}

/** The ARN carries a random id rather than the name (facts section 1). */
function newTrackerArn(state: ServiceState): string {
  for (;;) {
    const arn = state.arn(`event-tracker/${randomBytes(4).toString('hex')}`);
    if (state.store.get(arn) === undefined) return arn;
  }
}

function summary(record: ResourceRecord<EventTrackerAttrs>): Record<string, unknown> {
  return { name: record.name, eventTrackerArn: record.arn, ...statusFields(record) };
}

export const eventTrackersModule: KindModule = {
  kind: EVENT_TRACKER,
  operations: {
    CreateEventTracker: {
      input: structure({ name: required(NAME), datasetGroupArn: required(ARN), tags: TAGS }),
      run(state, input) {
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const name = input.string('name');
        const trackers = state.store.list<EventTrackerAttrs>(EVENT_TRACKER);
        // Names are unique per account and region even though this ARN does not carry one.
        const sameName = trackers.find((t) => t.name === name);
        if (sameName !== undefined) throw new PersonalizeError('ResourceAlreadyExistsException', `Another event tracker named ${name} already exists: ${sameName.arn}.`);
        const attrs: EventTrackerAttrs = { datasetGroupArn: group.arn, trackingId: randomUUID() };
        const record = newRecord(state, EVENT_TRACKER, newTrackerArn(state), name, attrs, mergeTags([], input.tags()));
        requireActive(group, 'dataset group');
        const existing = trackers.find((t) => t.attrs.datasetGroupArn === group.arn);
        if (existing !== undefined) {
          throw new PersonalizeError('ResourceAlreadyExistsException', `Dataset group ${group.arn} already has event tracker ${existing.arn}; a group has at most one.`);
        }
        beginCreate(state, record);
        state.store.save();
        return { eventTrackerArn: record.arn, trackingId: attrs.trackingId };
      },
    },
    DescribeEventTracker: {
      input: structure({ eventTrackerArn: required(ARN) }),
      run(state, input) {
        const record = getEventTracker(state, input.string('eventTrackerArn'));
        return {
          eventTracker: {
            ...summary(record),
            accountId: state.ctx.accountId,
            trackingId: record.attrs.trackingId,
            datasetGroupArn: record.attrs.datasetGroupArn,
          },
        };
      },
    },
    ListEventTrackers: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<EventTrackerAttrs>(state, input, { operation: 'ListEventTrackers', kind: EVENT_TRACKER, parent: 'datasetGroupArn', key: 'eventTrackers' }, summary),
    },
    DeleteEventTracker: {
      input: structure({ eventTrackerArn: required(ARN) }),
      run(state, input) {
        beginDelete(state, getEventTracker(state, input.string('eventTrackerArn')), 'event tracker');
        state.store.save();
        return {};
      },
    },
  },
};
