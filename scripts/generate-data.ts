/**
 * Makes synthetic retail data in Personalize's CSV layout.
 *   node --import tsx scripts/generate-data.ts --interactions 1000000 --out DIR
 *     [--users N] [--items N] [--seed N] [--start YYYY-MM-DD] [--days N]
 *   node --import tsx scripts/generate-data.ts --example     rewrites data/ as committed
 * Without --users/--items they scale with --interactions (about 25 and 80 interactions each).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_DATA, generateRetailData } from '../src/data/synthetic/index.ts';
import type { RetailDataOptions } from '../src/data/synthetic/index.ts';

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      interactions: { type: 'string' },
      users: { type: 'string' },
      items: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      example: { type: 'boolean', default: false },
    },
  });
  let options: RetailDataOptions;
  let out: string;
  if (values.example) {
    options = EXAMPLE_DATA;
    out = fileURLToPath(new URL('../data/', import.meta.url));
  } else {
    if (values.out === undefined) throw new RangeError('--out DIR is required (or --example)');
    const interactions = integer('interactions', values.interactions, 100_000);
    const start = values.start === undefined ? undefined : new Date(`${values.start}T00:00:00Z`);
    if (start !== undefined && Number.isNaN(start.getTime())) throw new RangeError(`--start must be YYYY-MM-DD, got "${values.start}"`);
    options = {
      interactions,
      users: integer('users', values.users, Math.max(50, Math.round(interactions / 25))),
      items: integer('items', values.items, Math.max(20, Math.min(750_000, Math.round(interactions / 80)))),
      seed: integer('seed', values.seed, 1),
      ...(start !== undefined ? { start } : {}),
      ...(values.days !== undefined ? { days: integer('days', values.days, 183) } : {}),
    };
    out = values.out;
  }
  const began = performance.now();
  const result = await generateRetailData(options, out);
  const seconds = (performance.now() - began) / 1000;
  const { events } = result.counts;
  process.stderr.write(
    `wrote ${result.counts.interactions} interactions (View ${events.View}, AddToCart ${events.AddToCart}, Purchase ${events.Purchase}), ` +
      `${result.counts.users} users, ${result.counts.items} items to ${out} in ${seconds.toFixed(1)} s\n`,
  );
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`generate-data: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
