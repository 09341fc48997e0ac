import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, resolveThresholds, validateDataFile, validateDatasetGroup } from '../../src/data/index.ts';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, bytes, rows } from './helpers.ts';

const T0 = 1_700_000_000;
const DAY = 86_400;
const inter = (text: string, extra: { maxErrors?: number; filters?: { label: string; eventType?: string }[] } = {}) =>
  validateDataFile({ file: 'i.csv', schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS', input: bytes(text), now: T0 + 400 * DAY, ...extra });

/** 30 users × 40 distinct items each over 8 weeks: healthy by every default threshold. */
function healthy(): [string, string, number, string][] {
  const out: [string, string, number, string][] = [];
  for (let u = 0; u < 30; u += 1) for (let k = 0; k < 40; k += 1) out.push([`u${u}`, `i${(u * 7 + k) % 200}`, T0 + ((u * 40 + k) % 56) * DAY, k % 4 === 0 ? 'purchase' : 'view']);
  return out;
}

describe('data-set rules', () => {
  it('passes a healthy group', async () => {
    const r = await inter(rows(healthy()));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(validateDatasetGroup({ interactions: r })).toEqual([]);
    expect(r.profile.interactions).toMatchObject({ users: 30, usersWithTwoInteractions: 30, distinctEventTypes: 2 });
  });

  it('needs 1,000 interactions and 25 users with two of them, also after a filter', async () => {
    const few = healthy().slice(0, 40 * 20);
    const r = await inter(rows(few), { filters: [{ label: 'buys', eventType: 'purchase' }] });
    const codes = validateDatasetGroup({ interactions: r }, { filters: [{ label: 'buys', eventType: 'purchase' }] }).map((f) => f.code);
    expect(codes).toEqual(['too-few-interactions', 'too-few-active-users', 'too-few-interactions-after-filter', 'too-few-active-users-after-filter']);
  });

  it('limits metadata columns plus distinct event types to 10', async () => {
    const r = await inter(rows(healthy().map(([u, i, t], k) => [u, i, t, `type${k % 10}`])));
    expect(validateDatasetGroup({ interactions: r }, { interactionsSchema: INTERACTIONS_SCHEMA }).map((f) => f.code)).toEqual(['too-many-event-types']);
  });

  it('reports interaction items without metadata and cold items', async () => {
    const r = await inter(rows(healthy()));
    const meta = ['ITEM_ID,GENRE', ...Array.from({ length: 150 }, (_, k) => `i${k},g`), ...Array.from({ length: 50 }, (_, k) => `cold${k},g`)].join('\n');
    const items = await validateDataFile({ file: 'items.csv', schema: ITEMS_SCHEMA, datasetType: 'ITEMS', input: bytes(meta) });
    const found = validateDatasetGroup({ interactions: r, items });
    expect(found.map((f) => f.code)).toEqual(['items-missing-metadata', 'cold-start']);
    expect(found[0]?.message).toContain('50 of 200 items');
    expect(found[1]?.message).toContain('50 of 200 items in this file (25%)');
  });

  it('warns about duplicate events, repeated pairs and popularity concentration', async () => {
    const list = healthy();
    const dup = [...list, ...list.slice(0, 300)];
    const r = await inter(rows(dup));
    expect(r.findings.map((f) => f.code)).toContain('duplicate-events');
    const pairs = list.map(([u, , t, e], k): [string, string, number, string] => [u, k % 5 < 3 ? 'i0' : `i${(k % 3) + 1}`, t, e]);
    const p = await inter(rows(pairs));
    expect(p.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['repeated-pairs', 'popularity-concentration']));
  });

  it('thresholds from the manifest change what warns', async () => {
    const list = healthy();
    const r = await validateDataFile({ file: 'i.csv', schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS', input: bytes(rows([...list, ...list.slice(0, 300)])), thresholds: resolveThresholds({ duplicateEvents: 0.5, bogus: 3 }) });
    expect(r.findings.map((f) => f.code)).not.toContain('duplicate-events');
    expect(resolveThresholds({}).popularityConcentration).toBe(DEFAULT_THRESHOLDS.popularityConcentration);
  });

  it('finds gaps and spikes in weekly activity and suggests a cadence', async () => {
    const list = healthy().map(([u, i, t, e], k): [string, string, number, string] => [u, i, k < 600 ? t : t + 70 * DAY, e]);
    const spike = Array.from({ length: 900 }, (_, k): [string, string, number, string] => [`u${k % 30}`, `s${k}`, T0 + 120 * DAY, 'view']);
    const r = await inter(rows([...list, ...spike]));
    const codes = r.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['activity-gap', 'activity-spike']));
    expect(r.profile.interactions?.suggestedRetraining).not.toBe('unknown');
  });

  it('groups identical findings and keeps counting past maxErrors', async () => {
    const list = healthy().map(([u, i, t, e]): [string, string, number, string] => [u, i, t * 1000, e]);
    const r = await inter(rows(list), { maxErrors: 3 });
    const ms = r.findings.find((f) => f.code === 'timestamp-milliseconds');
    expect(ms?.grouped).toEqual({ count: 1200, firstLines: [2, 3, 4] });
    expect(r.totals.error).toBe(1200);
    expect(r.truncated).toBe(true);
  });

  it('counts missing values per nullable column against the threshold', async () => {
    const meta = ['ITEM_ID,GENRE', ...Array.from({ length: 10 }, (_, k) => `i${k},${k < 3 ? '' : 'g'}`)].join('\n');
    const items = await validateDataFile({ file: 'items.csv', schema: ITEMS_SCHEMA, datasetType: 'ITEMS', input: bytes(meta) });
    expect(items.findings.find((f) => f.code === 'missing-values')?.message).toContain('GENRE is empty in 30% of rows');
    expect(items.profile.columns.find((c) => c.name === 'GENRE')).toMatchObject({ missing: 3, distinct: 1 });
  });
});
