import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DATA, generateRetailData } from '../../src/data/synthetic/index.ts';
import type { RetailDataOptions, RetailDataResult } from '../../src/data/synthetic/index.ts';

type Row = Record<string, string>;

function parse(text: string): { header: string[]; rows: Row[] } {
  expect(text).not.toContain('"'); // nothing needs quoting, so a plain split is the exact parse
  const lines = text.trimEnd().split('\n');
  const header = (lines[0] ?? '').split(',');
  const split = lines.slice(1).map((line) => line.split(','));
  expect(split.filter((cells) => cells.length !== header.length)).toEqual([]);
  const rows = split.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  return { header, rows };
}

const OPTIONS: RetailDataOptions = { users: 2000, items: 500, interactions: 60_000, seed: 7 };
const START = Date.UTC(2024, 5, 1) / 1000;
const DAY = 86_400;

let dir: string;
let result: RetailDataResult;
let interactions: Row[];
let items: Map<string, Row>;
let users: Map<string, Row>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synthetic-'));
  result = await generateRetailData(OPTIONS, join(dir, 'a'));
  const read = async (f: string): Promise<{ header: string[]; rows: Row[] }> => parse(await readFile(f, 'utf8'));
  interactions = (await read(result.files.interactions)).rows;
  items = new Map((await read(result.files.items)).rows.map((r) => [r['ITEM_ID'] ?? '', r]));
  users = new Map((await read(result.files.users)).rows.map((r) => [r['USER_ID'] ?? '', r]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function countBy<T>(values: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

describe('generateRetailData: shape', () => {
  it('writes exactly the rows asked for, in Personalize CSV layout, in time order within the period', async () => {
    const header = (await readFile(result.files.interactions, 'utf8')).split('\n', 1)[0];
    expect(header).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE');
    expect(interactions).toHaveLength(OPTIONS.interactions);
    expect(users.size).toBe(OPTIONS.users);
    expect(items.size).toBe(OPTIONS.items);
    const timestamps = interactions.map((r) => Number(r['TIMESTAMP']));
    expect(timestamps.every((ts, i) => Number.isInteger(ts) && ts >= START && ts >= (timestamps[i - 1] ?? START))).toBe(true);
    expect(interactions.filter((r) => !users.has(r['USER_ID'] ?? '')).length).toBe(0);
    // No one sees a product before it is launched.
    expect(interactions.filter((r) => Number(r['TIMESTAMP']) <= Number(items.get(r['ITEM_ID'] ?? '')?.['CREATION_TIMESTAMP'])).length).toBe(0);
    const previous = timestamps[timestamps.length - 1] ?? 0;
    expect(previous).toBeLessThan(START + 183 * DAY);
    expect(result.counts.events.View + result.counts.events.AddToCart + result.counts.events.Purchase).toBe(OPTIONS.interactions);
  });

  it('has item metadata with multi-valued and missing categorical values and prices', () => {
    const rows = [...items.values()];
    expect(rows.some((r) => (r['STYLE'] ?? '').includes('|'))).toBe(true);
    const missingColor = rows.filter((r) => r['COLOR'] === '').length / rows.length;
    expect(missingColor).toBeGreaterThan(0.02);
    expect(missingColor).toBeLessThan(0.3);
    expect(new Set(rows.map((r) => r['CATEGORY_L1'])).size).toBe(8);
    expect(rows.every((r) => /^\d+\.\d\d$/.test(r['PRICE'] ?? ''))).toBe(true);
    expect(rows.filter((r) => Number(r['CREATION_TIMESTAMP']) >= START).length).toBeGreaterThan(rows.length * 0.05);
  });

  it('passes the service minimums: 1000 interactions and 25 users with 2 or more', () => {
    const perUser = countBy(interactions.map((r) => r['USER_ID']));
    expect([...perUser.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(25);
    expect(interactions.length).toBeGreaterThanOrEqual(1000);
  });
});

describe('generateRetailData: determinism and the committed data', () => {
  it('gives the same bytes for the same seed and different data for another seed', async () => {
    const again = await generateRetailData(OPTIONS, join(dir, 'b'));
    const other = await generateRetailData({ ...OPTIONS, seed: 8 }, join(dir, 'c'));
    for (const f of ['interactions', 'items', 'users'] as const) {
      expect((await readFile(again.files[f])).equals(await readFile(result.files[f]))).toBe(true);
    }
    expect((await readFile(other.files.interactions)).equals(await readFile(result.files.interactions))).toBe(false);
  });

  it('commits example data that meets the service minimums, domain recommenders included', async () => {
    const rows = parse(await readFile('data/interactions.csv', 'utf8')).rows;
    const perUser = countBy(rows.map((r) => r['USER_ID']));
    const byType = countBy(rows.map((r) => r['EVENT_TYPE']));
    expect(rows.length).toBeGreaterThanOrEqual(10_000);
    expect([...perUser.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(25);
    // aws-ecomm-popular-items-by-views and -by-purchases each need 1000 events of their type.
    expect(byType.get('View')).toBeGreaterThanOrEqual(1000);
    expect(byType.get('Purchase')).toBeGreaterThanOrEqual(1000);
  });

  it('reproduces the committed data/ folder from EXAMPLE_DATA', async () => {
    const made = await generateRetailData(EXAMPLE_DATA, join(dir, 'example'));
    for (const f of ['interactions', 'items', 'users'] as const) {
      expect((await readFile(made.files[f])).equals(await readFile(`data/${f}.csv`)), `data/${f}.csv`).toBe(true);
    }
  });
});

describe('generateRetailData: the structure a recommender can learn', () => {
  it('concentrates attention on few items (Zipf-like popularity)', () => {
    const counts = [...countBy(interactions.map((r) => r['ITEM_ID'])).values()].sort((a, b) => b - a);
    const total = interactions.length;
    const topTenPercent = counts.slice(0, OPTIONS.items / 10).reduce((a, b) => a + b, 0) / total;
    const bottomHalf = counts.slice(OPTIONS.items / 2).reduce((a, b) => a + b, 0) / total;
    expect(topTenPercent).toBeGreaterThan(0.35);
    expect(bottomHalf).toBeLessThan(0.2);
  });

  it('runs a realistic funnel: every purchase follows a cart of the same item, which follows a view', () => {
    const e = result.counts.events;
    const cartRate = e.AddToCart / e.View;
    const buyRate = e.Purchase / e.AddToCart;
    expect(cartRate).toBeGreaterThan(0.1);
    expect(cartRate).toBeLessThan(0.35);
    expect(buyRate).toBeGreaterThan(0.3);
    expect(buyRate).toBeLessThan(0.65);
    const seen = new Set<string>();
    let outOfOrder = 0;
    for (const r of interactions) {
      const key = `${r['USER_ID']}/${r['ITEM_ID']}`;
      if (r['EVENT_TYPE'] === 'View') seen.add(`V${key}`);
      if (r['EVENT_TYPE'] === 'AddToCart') {
        if (!seen.has(`V${key}`)) outOfOrder += 1;
        seen.add(`C${key}`);
      }
      if (r['EVENT_TYPE'] === 'Purchase' && !seen.has(`C${key}`)) outOfOrder += 1;
    }
    expect(outOfOrder).toBe(0);
  });

  it('makes user metadata predictive of tastes: it names a user\'s favourite category far better than chance', () => {
    const favourite = new Map<string, string>();
    const perUser = new Map<string, Map<string, number>>();
    for (const r of interactions) {
      const u = r['USER_ID'] ?? '';
      const c = items.get(r['ITEM_ID'] ?? '')?.['CATEGORY_L1'] ?? '';
      const m = perUser.get(u) ?? new Map<string, number>();
      m.set(c, (m.get(c) ?? 0) + 1);
      perUser.set(u, m);
    }
    for (const [u, m] of perUser) {
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      if (total >= 8) favourite.set(u, [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '');
    }
    const ids = [...favourite.keys()].sort();
    const train = ids.filter((_, i) => i % 2 === 0);
    const test = ids.filter((_, i) => i % 2 === 1);
    const segment = (u: string): string => `${users.get(u)?.['AGE_GROUP']}/${users.get(u)?.['REGION']}`;
    const majority = (list: string[]): string => [...countBy(list.map((u) => favourite.get(u) ?? ''))].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const global = majority(train);
    const bySegment = new Map<string, string>();
    for (const s of new Set(train.map(segment))) bySegment.set(s, majority(train.filter((u) => segment(u) === s)));
    const accuracy = (guess: (u: string) => string): number => test.filter((u) => guess(u) === favourite.get(u)).length / test.length;
    const withMetadata = accuracy((u) => bySegment.get(segment(u)) ?? global);
    const without = accuracy(() => global);
    expect(test.length).toBeGreaterThan(300);
    expect(withMetadata).toBeGreaterThan(without * 1.5);
  });

  it('lets membership predict price: gold members buy dearer products than standard members', () => {
    const mean = (membership: string): number => {
      const prices = interactions
        .filter((r) => r['EVENT_TYPE'] === 'Purchase' && users.get(r['USER_ID'] ?? '')?.['MEMBERSHIP'] === membership)
        .map((r) => Number(items.get(r['ITEM_ID'] ?? '')?.['PRICE']));
      return prices.reduce((a, b) => a + b, 0) / prices.length;
    };
    expect(mean('gold')).toBeGreaterThan(mean('standard') * 1.1);
  });

  it('follows the calendar: outdoor gear peaks in summer, Black Friday outsells an ordinary Friday', () => {
    const share = (from: number, to: number, category: string): number => {
      const rows = interactions.filter((r) => Number(r['TIMESTAMP']) >= from && Number(r['TIMESTAMP']) < to);
      return rows.filter((r) => items.get(r['ITEM_ID'] ?? '')?.['CATEGORY_L1'] === category).length / rows.length;
    };
    const july = Date.UTC(2024, 6, 1) / 1000;
    const november = Date.UTC(2024, 10, 1) / 1000;
    expect(share(july, july + 31 * DAY, 'Outdoors')).toBeGreaterThan(share(november, november + 30 * DAY, 'Outdoors') * 1.3);
    const onDay = (t: number): number => interactions.filter((r) => Number(r['TIMESTAMP']) >= t && Number(r['TIMESTAMP']) < t + DAY).length;
    const blackFriday = Date.UTC(2024, 10, 29) / 1000;
    expect(onDay(blackFriday)).toBeGreaterThan(1.8 * onDay(blackFriday - 14 * DAY));
  });
});
