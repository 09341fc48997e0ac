import { describe, expect, it } from 'vitest';
import { EngineDataBuilder } from '../../src/engine/data-builder.ts';
import { domainFilter, domainWindow } from '../../src/emulator/personalize/domain-training.ts';

const DAY = 86_400;

/** `rows` events, one an hour, alternating between two spellings of the event type. */
function hourly(rows: number) {
  const b = new EngineDataBuilder();
  for (let i = 0; i < rows; i++) b.addInteraction(`u${i % 30}`, `i${i % 40}`, 1_700_000_000 + i * 3600, i % 2 === 0 ? 'Watch' : 'click');
  return b.build();
}

describe('domain use case data preparation', () => {
  it('spells the use case event type as the data does, only when the use case matches any case', () => {
    const data = hourly(10);
    expect(domainFilter(data, { eventType: 'watch' }, { eventTypeAnyCase: true })).toEqual({ eventType: 'Watch' });
    expect(domainFilter(data, { eventType: 'watch' }, undefined)).toEqual({ eventType: 'watch' });
    expect(domainFilter(data, { eventType: 'Purchase' }, { eventTypeAnyCase: true })).toEqual({ eventType: 'Purchase' });
  });

  it('keeps the newest week of events for trending, widened to the newest 1000 when the week holds fewer', () => {
    const data = hourly(3000);
    const newest = 1_700_000_000 + 2999 * 3600;
    const wide = domainWindow(data, { recentDays: 7 });
    expect(wide.interactions.length).toBe(1000);
    expect(Math.min(...wide.interactions.timestamp)).toBe(1_700_000_000 + 2000 * 3600);
    const long = domainWindow(data, { recentDays: 60 });
    expect(long.interactions.length).toBe(60 * 24 + 1);
    expect(Math.min(...long.interactions.timestamp)).toBe(newest - 60 * DAY);
    expect(long.items.size).toBe(data.items.size);
    expect(domainWindow(data, {})).toBe(data);
  });
});
