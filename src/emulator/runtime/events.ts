import { DATASET, type DatasetAttrs, type DatasetType } from '../personalize/datasets.ts';
import { EVENT_TRACKER, type EventTrackerAttrs } from '../personalize/event-trackers.ts';
import type { ResourceRecord } from '../personalize/store.ts';
import { appendStream, streamPath, type StoredEvent, type StoredRecord } from './event-log.ts';
import type { Members } from './members.ts';
import { invalid, RuntimeError } from './protocol.ts';
import type { RuntimeState } from './recommendations.ts';

/** The service's caps: 10 events, items or users per call. */
const MAX_PER_CALL = 10;

/**
 * PutEvents: records a session's events into the tracker's group's Interactions dataset, where
 * filters see them at once and the next training reads them. Events without a `userId` count
 * for the session, as the service attributes anonymous events to the session id.
 */
export function putEvents(rt: RuntimeState, m: Members): undefined {
  const trackingId = m.string('trackingId');
  const sessionId = m.string('sessionId');
  const userId = m.optString('userId');
  const events = m.structures('eventList', 1, MAX_PER_CALL).map((e): StoredEvent => {
    const eventValue = e.optNumber('eventValue');
    const eventId = e.optString('eventId');
    const recommendationId = e.optString('recommendationId', 40);
    const impression = e.optStringList('impression', 25);
    const properties = e.optJsonObject('properties', 1024);
    return {
      userId: userId ?? sessionId,
      sessionId,
      itemId: e.optString('itemId') ?? '',
      eventType: e.string('eventType'),
      timestamp: e.number('sentAt'),
      ...(eventValue === undefined ? {} : { eventValue }),
      ...(eventId === undefined ? {} : { eventId }),
      ...(recommendationId === undefined ? {} : { recommendationId }),
      ...(impression === undefined ? {} : { impression }),
      ...(properties === undefined ? {} : { properties }),
    };
  });
  const tracker = (rt.view.list(EVENT_TRACKER) as ResourceRecord<EventTrackerAttrs>[]).find((t) => t.attrs.trackingId === trackingId && t.status?.startsWith('DELETE') !== true);
  if (tracker === undefined) throw new RuntimeError('ResourceNotFoundException', `Could not find an event tracker with trackingId ${trackingId}.`);
  const dataset = datasetOfGroup(rt, tracker.attrs.datasetGroupArn, 'INTERACTIONS');
  if (dataset === undefined) throw invalid('trackingId', `the dataset group ${tracker.attrs.datasetGroupArn} has no Interactions dataset to record events in`);
  appendStream(streamPath(rt.dir, dataset, 'events'), events);
  return undefined;
}

/** PutItems: adds or updates item metadata in an Items dataset. */
export function putItems(rt: RuntimeState, m: Members): undefined {
  putRecords(rt, m, 'ITEMS', 'items', 'itemId');
  return undefined;
}

/** PutUsers: adds or updates user metadata in a Users dataset. */
export function putUsers(rt: RuntimeState, m: Members): undefined {
  putRecords(rt, m, 'USERS', 'users', 'userId');
  return undefined;
}

function putRecords(rt: RuntimeState, m: Members, type: DatasetType, member: 'items' | 'users', idMember: string): void {
  const datasetArn = m.string('datasetArn');
  const records = m.structures(member, 1, MAX_PER_CALL).map((r): StoredRecord => ({ id: r.string(idMember), properties: r.optJsonObject('properties', 24262) ?? {} }));
  const dataset = rt.view.get(datasetArn) as ResourceRecord<DatasetAttrs> | undefined;
  if (dataset?.kind !== DATASET || dataset.status?.startsWith('DELETE') === true) throw new RuntimeError('ResourceNotFoundException', `Could not find dataset with Arn ${datasetArn}.`);
  if (dataset.attrs.datasetType !== type) throw invalid('datasetArn', `${datasetArn} is a ${dataset.attrs.datasetType} dataset; ${member} go into a ${type} dataset`);
  appendStream(streamPath(rt.dir, dataset, member), records);
}

function datasetOfGroup(rt: RuntimeState, groupArn: string, type: DatasetType): ResourceRecord<DatasetAttrs> | undefined {
  return (rt.view.list(DATASET) as ResourceRecord<DatasetAttrs>[]).find((d) => d.attrs.datasetGroupArn === groupArn && d.attrs.datasetType === type && d.status?.startsWith('DELETE') !== true);
}
