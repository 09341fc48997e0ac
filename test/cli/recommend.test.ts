import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterValuesOf, resolveRef } from '../../src/cli/recommend-refs.ts';
import type { Manifest } from '../../src/manifest/types.ts';
import { smallInteractions, smallPocDir } from '../resources/batch-fixture.ts';
import { copyEcommerceExample } from './ecommerce-example.ts';
import { runCli, useEmulatedPoc } from './harness.ts';

const MANIFEST = `version: 1
name: recpoc
region: us-east-1
environment:
  stack: { name: recpoc-env }
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  shop:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      personalized: { recipe: aws-user-personalization }
      similar: { recipe: aws-sims }
    filters:
      not-purchased: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")' }
      by-type: { expression: 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPE)' }
    campaigns:
      personalized: { solution: personalized, minProvisionedTPS: 1 }
      related: { solution: similar, minProvisionedTPS: 1 }
`;

const CSV = smallInteractions();

function itemsOf(user: string, eventType: string): Set<string> {
  const rows = CSV.split('\n').map((l) => l.split(','));
  return new Set(rows.filter((r) => r[0] === user && r[3] === eventType).map((r) => r[1] ?? ''));
}

/** The user with the most purchases in the data: the filter has the most to remove for them. */
function topBuyer(): string {
  const counts = new Map<string, number>();
  for (const r of CSV.split('\n').map((l) => l.split(','))) if (r[3] === 'Purchase') counts.set(r[0] ?? '', (counts.get(r[0] ?? '') ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

interface JsonResult {
  items: { rank: number; itemId: string; score?: number }[];
  source: { kind: string; ref: string; name: string };
}

describe('poc recommend', () => {
  const poc = useEmulatedPoc(() => smallPocDir(MANIFEST));
  const cli = (...argv: string[]) => poc.cli('recommend', ...argv);
  const json = async (...argv: string[]): Promise<JsonResult> => {
    const run = await cli(...argv, '--format', 'json');
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as JsonResult;
  };

  it('says to run poc apply first when nothing exists yet', async () => {
    const run = await cli('--campaign', 'shop.personalized', '--user', 'U00650');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/run poc apply first/);
  });

  it('prints a table of recommendations for a user once applied', async () => {
    const applied = await poc.cli('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const run = await cli('--campaign', 'shop.personalized', '--user', 'U00650', '-n', '5');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Recommendations for user U00650 from campaign shop.personalized');
    expect(lines[2]).toMatch(/^\s+rank\s+item\s+score$/);
    expect(lines.slice(3, 8).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(lines.slice(3, 8).every((l) => /^\s+\d\s+P\d{4}\s+[-0-9.e]+$/.test(l))).toBe(true);
    expect(run.stdout).toMatch(/recommendation id: RID-/);
    const again = await json('--campaign', 'personalized', '--user', 'U00650', '-n', '5');
    expect(again.items.map((i) => i.itemId)).toEqual(lines.slice(3, 8).map((l) => l.trim().split(/\s+/)[1]));
  }, 120_000);

  it('honours a filter: nothing the user already purchased', async () => {
    const user = topBuyer();
    const bought = itemsOf(user, 'Purchase');
    const all = await json('--campaign', 'shop.personalized', '--user', user, '-n', '500');
    expect(all.items.filter((i) => bought.has(i.itemId)).length).toBe(bought.size);
    const filtered = await json('--campaign', 'shop.personalized', '--user', user, '-n', '500', '--filter', 'not-purchased');
    expect(filtered.items.map((i) => i.itemId)).toEqual(all.items.map((i) => i.itemId).filter((id) => !bought.has(id)));
  });

  it('passes filter values, and names an unknown parameter', async () => {
    const user = topBuyer();
    const purchased = await json('--campaign', 'shop.personalized', '--user', user, '-n', '50', '--filter', 'by-type', '--values', 'TYPE=Purchase');
    expect(new Set(purchased.items.map((i) => i.itemId))).toEqual(itemsOf(user, 'Purchase'));
    const typo = await cli('--campaign', 'shop.personalized', '--user', user, '--filter', 'by-type', '--values', 'TYEP=Purchase');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/no parameter \$TYEP\. Did you mean 'TYPE'\?/);
  });

  it('answers related items for --item, in markdown too', async () => {
    const related = await json('--campaign', 'shop.related', '--item', 'P0264', '-n', '4');
    expect(related.items).toHaveLength(4);
    expect(related.items.map((i) => i.itemId)).not.toContain('P0264');
    const md = await cli('--campaign', 'shop.related', '--item', 'P0264', '-n', '4', '--format', 'markdown');
    expect(md.stdout).toContain('### Related items for item P0264 from campaign shop.related');
    expect(md.stdout).toContain('| rank | item | score |');
    expect(md.stdout).toContain(`| 1 | ${related.items[0]?.itemId ?? ''} | - |`);
  });

  it('explains mistakes in one line: unknown key with a suggestion, a request the campaign refuses', async () => {
    const typo = await cli('--campaign', 'shop.personalised', '--user', 'U00650');
    expect(typo.code).toBe(1);
    expect(typo.stderr.trim()).toBe("error [unknown-campaign] No campaign 'shop.personalised' in poc.yaml. Did you mean 'shop.personalized'? (known: shop.personalized, shop.related)");
    const noItem = await cli('--campaign', 'shop.related', '--user', 'U00650');
    expect(noItem.code).toBe(1);
    expect(noItem.stderr.trim().split('\n')).toHaveLength(1);
    expect(noItem.stderr).toMatch(/refused the request: itemId: is required/);
  });

  it('has --help', async () => {
    const help = await runCli(['recommend', '--help'], { cwd: poc.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: poc recommend/);
    expect(help.stdout).toContain('--campaign GROUP.KEY');
  });
});

describe('recommend references and filter values', () => {
  const manifest = {
    name: 'p',
    datasetGroups: {
      a: { key: 'a', filters: { f: { expression: 'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Items.PRICE > $MAX' } }, campaigns: { c: {} } },
      b: { key: 'b', name: 'adopted-group', campaigns: { c: { name: 'console-made' }, d: {} } },
    },
  } as unknown as Manifest;

  it('resolves group.key to AWS names, honouring name overrides', () => {
    expect(resolveRef(manifest, 'campaign', 'a.c')).toMatchObject({ ok: true, value: { ref: 'a.c', groupName: 'p-a', name: 'p-a-c' } });
    expect(resolveRef(manifest, 'campaign', 'b.c')).toMatchObject({ ok: true, value: { groupName: 'adopted-group', name: 'console-made' } });
    expect(resolveRef(manifest, 'campaign', 'd')).toMatchObject({ ok: true, value: { ref: 'b.d' } });
  });

  it('refuses a bare key that two groups declare, and suggests the group of a misplaced key', () => {
    const both = resolveRef(manifest, 'campaign', 'c');
    expect(both.ok ? '' : both.diagnostic.message).toMatch(/several dataset groups: a\.c, b\.c/);
    const misplaced = resolveRef(manifest, 'campaign', 'a.d');
    expect(misplaced.ok ? '' : misplaced.diagnostic.message).toContain("Did you mean 'b.d'?");
  });

  it('quotes each value and checks parameter names against the expression', () => {
    const expression = manifest.datasetGroups['a']?.filters?.['f']?.expression ?? '';
    expect(filterValuesOf('GENRE=Comedy, Drama;MAX=20', expression)).toEqual({ ok: true, value: { GENRE: '"Comedy","Drama"', MAX: '"20"' } });
    expect(filterValuesOf('$GENRE="Sci-Fi"', expression)).toEqual({ ok: true, value: { GENRE: '"Sci-Fi"' } });
    const wrong = filterValuesOf('GENRES=x', expression);
    expect(wrong.ok ? '' : wrong.diagnostic.message).toBe("The filter has no parameter $GENRES. Did you mean 'GENRE'? (its parameters: $GENRE, $MAX)");
    const bad = filterValuesOf('GENRE', expression);
    expect(bad.ok ? '' : bad.diagnostic.code).toBe('invalid-option-value');
  });
});

describe('poc recommend on recommenders', () => {
  const poc = useEmulatedPoc(copyEcommerceExample);
  const cli = (...argv: string[]) => poc.cli('recommend', ...argv);

  beforeAll(async () => {
    const applied = await poc.cli('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  }, 120_000);

  it('asks a domain use case by --recommender, for a user or for an item', async () => {
    const user = readFileSync(join(poc.dir, 'data', 'interactions.csv'), 'utf8').split('\n')[1]?.split(',')[0] ?? '';
    const forYou = await cli('--recommender', 'shop.for-you', '--user', user, '-n', '3', '--format', 'json');
    expect(forYou.code, forYou.stderr).toBe(0);
    expect(JSON.parse(forYou.stdout)).toMatchObject({ source: { kind: 'recommender', ref: 'shop.for-you', name: 'shop-poc-shop-for-you' } });
    expect((JSON.parse(forYou.stdout) as JsonResult).items).toHaveLength(3);
    const item = (JSON.parse(forYou.stdout) as JsonResult).items[0]?.itemId ?? '';
    const related = await cli('--recommender', 'also-viewed', '--item', item, '-n', '3');
    expect(related.code, related.stderr).toBe(0);
    expect(related.stdout.split('\n')[0]).toBe(`Related items for item ${item} from recommender shop.also-viewed`);
  });
});
