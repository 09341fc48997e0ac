import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendStream, columnOfProperty, eventRow, readStream, streamPath, sweepStreams } from '../../src/emulator/runtime/event-log.ts';
import { withStreamedEvents } from '../../src/emulator/runtime/training-events.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'poc-event-log-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('streamed records', () => {
  it('keeps a file per dataset and creation time, so a re-created dataset starts empty', () => {
    const arn = 'arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS';
    expect(streamPath('/s', { arn, createdAt: 5 }, 'events')).toBe('/s/streamed/shop/INTERACTIONS/events-5.jsonl');
    expect(streamPath('/s', { arn, createdAt: 6 }, 'events')).not.toBe(streamPath('/s', { arn, createdAt: 5 }, 'events'));
  });

  it('drops a line cut short by a crash, before and after the next append', () => {
    const path = join(tempDir(), 'sub', 'events.jsonl');
    appendStream(path, [{ n: 1 }, { n: 2 }]);
    appendFileSync(path, '{"n": 3, "cut sh');
    expect(readStream<{ n: number }>(path)).toEqual([{ n: 1 }, { n: 2 }]);
    appendStream(path, [{ n: 4 }]);
    expect(readStream<{ n: number }>(path)).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('sweeps the streams of datasets that are gone, and keeps the others', () => {
    const dir = tempDir();
    const live = { arn: 'arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS', createdAt: 2 };
    const gone = { arn: 'arn:aws:personalize:us-east-1:000000000000:dataset/old/ITEMS', createdAt: 1 };
    const recreated = { ...live, createdAt: 1 };
    for (const [owner, kind] of [[live, 'events'], [gone, 'items'], [recreated, 'events']] as const) appendStream(streamPath(dir, owner, kind), [{ n: 1 }]);
    sweepStreams(dir, [live]);
    expect(readStream(streamPath(dir, live, 'events'))).toEqual([{ n: 1 }]);
    expect(readStream(streamPath(dir, gone, 'items'))).toEqual([]);
    expect(readStream(streamPath(dir, recreated, 'events'))).toEqual([]);
  });

  it('writes events as rows of the Interactions file, properties by their column names', async () => {
    expect(columnOfProperty('numRatings')).toBe('NUM_RATINGS');
    const row = eventRow(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'DEVICE'], {
      userId: 'u1',
      sessionId: 's1',
      itemId: 'i1',
      eventType: 'click',
      timestamp: 1700000000.75,
      eventValue: 4.5,
      properties: { device: 'phone' },
    });
    expect(row).toEqual(['u1', 'i1', '1700000000', 'click', '4.5', 'phone']);

    const path = join(tempDir(), 'events.jsonl');
    appendStream(path, [{ userId: 'u2', sessionId: 's', itemId: 'i9', eventType: 'buy', timestamp: 9 }, { userId: 'u3', sessionId: 's', itemId: '', eventType: 'view', timestamp: 9 }]);
    const fd = openSync(path, 'r');
    try {
      const bulk = (async function* () {
        yield Buffer.from('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1,view');
      })();
      let text = '';
      for await (const chunk of withStreamedEvents(bulk, { fd, columns: ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE'] })) text += Buffer.from(chunk).toString('utf8');
      expect(text).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1,view\nu2,i9,9,buy\n');
    } finally {
      closeSync(fd);
    }
  });
});
