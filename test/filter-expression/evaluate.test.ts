import { describe, expect, it } from 'vitest';
import { bindFilter, parseFilterExpression, type FilterData, type FilterInteraction, type FilterRequest, type MetadataRow } from '../../src/filter-expression/index.ts';

const ITEMS: Record<string, MetadataRow> = {
  i1: { GENRE: 'Comedy|Drama', PRICE: '10', STUDIO: 'north' },
  i2: { GENRE: 'Drama', PRICE: '25', STUDIO: 'south' },
  i3: { GENRE: 'Horror', PRICE: '5', STUDIO: 'north' },
  i4: { GENRE: 'Comedy', PRICE: '40', STUDIO: 'north' },
  i5: { GENRE: 'Action', PRICE: '', STUDIO: 'east' },
};
const USERS: Record<string, MetadataRow> = { u1: { AGE: '34', TIER: 'gold' }, u2: { AGE: '17', TIER: 'basic' } };
const EVENTS: Record<string, FilterInteraction[]> = {
  u1: [
    { itemId: 'i1', eventType: 'purchase', timestamp: 100 },
    { itemId: 'i2', eventType: 'view', timestamp: 101 },
    { itemId: 'i3', eventType: 'Purchase', timestamp: 102 },
  ],
  u2: [{ itemId: 'i4', eventType: 'view', timestamp: 100 }],
};
const DATA: FilterData = { item: (id) => ITEMS[id], user: (id) => USERS[id], interactions: (id) => EVENTS[id] ?? [] };
const CANDIDATES = ['i1', 'i2', 'i3', 'i4', 'i5', 'unknown'];

function passing(text: string, request: FilterRequest, data: FilterData = DATA, candidates = CANDIDATES): string[] {
  const parsed = parseFilterExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const bound = bindFilter(parsed.expression, data, request);
  if (!bound.ok) throw new Error(bound.message);
  return candidates.filter((c) => bound.passes(c));
}

describe('bindFilter', () => {
  it('excludes what the user already purchased (event types match without case)', () => {
    expect(passing('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', { userId: 'u1' })).toEqual(['i2', 'i4', 'i5', 'unknown']);
    expect(passing('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', { userId: 'u2' })).toEqual(CANDIDATES);
  });

  it('includes only what the user interacted with by a listed event type', () => {
    expect(passing('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($T)', { userId: 'u1', filterValues: { T: '"view"' } })).toEqual(['i2']);
  });

  it('matches categorical values separated by |, and compares numbers', () => {
    expect(passing('INCLUDE ItemID WHERE Items.GENRE IN ($G)', { filterValues: { G: '"Comedy","Horror"' } })).toEqual(['i1', 'i3', 'i4']);
    expect(passing('EXCLUDE ItemID WHERE Items.GENRE NOT IN ("Drama")', {})).toEqual(['i1', 'i2', 'unknown']);
    expect(passing('INCLUDE ItemID WHERE Items.PRICE <= $MAX', { filterValues: { MAX: '10' } })).toEqual(['i1', 'i3']);
    expect(passing('INCLUDE ItemID WHERE Items.PRICE > 9 AND Items.STUDIO IN ("north") OR Items.GENRE IN ("Action")', {})).toEqual(['i1', 'i4', 'i5']);
  });

  it('compares with the current item of a related-items request', () => {
    expect(passing('INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.STUDIO IN CurrentItem.STUDIO', { itemId: 'i4' })).toEqual(['i1', 'i3']);
    expect(passing('INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE', { itemId: 'i1' })).toEqual(['i1', 'i2', 'i4']);
  });

  it('applies a sub-expression only when its IF clause holds for the current user', () => {
    const text = 'EXCLUDE ItemID WHERE Items.GENRE IN ("Horror") IF CurrentUser.AGE < 18';
    expect(passing(text, { userId: 'u2' })).toEqual(['i1', 'i2', 'i4', 'i5', 'unknown']);
    expect(passing(text, { userId: 'u1' })).toEqual(CANDIDATES);
  });

  it('combines INCLUDE | EXCLUDE as include minus exclude, in either order', () => {
    const a = passing('INCLUDE ItemID WHERE Items.STUDIO IN ("north") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', { userId: 'u1' });
    const b = passing('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase") | INCLUDE ItemID WHERE Items.STUDIO IN ("north")', { userId: 'u1' });
    expect(a).toEqual(['i4']);
    expect(b).toEqual(a);
    expect(passing('INCLUDE ItemID WHERE Items.GENRE IN ("Horror") | INCLUDE ItemID WHERE Items.GENRE IN ("Action")', {})).toEqual(['i3', 'i5']);
  });

  it('ignores an EXCLUDE without parameter values but refuses an INCLUDE without them', () => {
    expect(passing('EXCLUDE ItemID WHERE Items.GENRE IN ($G)', {})).toEqual(CANDIDATES);
    const parsed = parseFilterExpression('INCLUDE ItemID WHERE Items.GENRE IN ($G)');
    if (!parsed.ok) throw new Error(parsed.message);
    const bound = bindFilter(parsed.expression, DATA, {});
    expect(bound).toEqual({ ok: false, message: expect.stringContaining('$G') });
  });

  it('considers only the 100 most recent interactions per event type', () => {
    const many: FilterInteraction[] = Array.from({ length: 101 }, (_, i) => ({ itemId: `x${i}`, eventType: 'view', timestamp: 1000 + i }));
    const data: FilterData = { ...DATA, interactions: () => many };
    expect(passing('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("view")', { userId: 'u9' }, data, ['x0', 'x1', 'x100'])).toEqual(['x0']);
  });

  it('filters users for user segments', () => {
    expect(passing('INCLUDE UserID WHERE Users.AGE >= 18', {}, DATA, ['u1', 'u2', 'u3'])).toEqual(['u1']);
    expect(passing('EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")', {}, DATA, ['u1', 'u2', 'u3'])).toEqual(['u2', 'u3']);
  });
});
