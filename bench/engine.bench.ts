/**
 * Engine benchmark: training plus Personalize-style evaluation (evaluateRecipe) of every recipe
 * family on synthetic data of 100 k and 1 M interactions, against the popularity model alone
 * (the cheapest possible model: a count per item) measured in the same run.
 * Data comes from a small seeded generator below (taste clusters over a Zipf catalogue, with item
 * and user metadata), so the bench does not depend on the CSV generator in src/data/synthetic.
 * Run: node --import tsx --expose-gc bench/engine.bench.ts
 */
import { loadavg } from 'node:os';
import { EngineDataBuilder, evaluateRecipe } from '../src/engine/index.ts';
import type { EngineData, RecipeName } from '../src/engine/index.ts';
import { createRng } from '../src/engine/rng.ts';

interface Size {
  readonly interactions: number;
  readonly users: number;
  readonly items: number;
  readonly rounds: number;
}

const SIZES: readonly Size[] = [
  { interactions: 100_000, users: 10_000, items: 2_000, rounds: 3 },
  { interactions: 1_000_000, users: 60_000, items: 8_000, rounds: 1 },
];
const CLUSTERS = 20;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Users belong to a taste cluster; 60% of their events come from the cluster's items. */
function generate(size: Size, seed: number): EngineData {
  const rng = createRng(seed);
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(Math.pow(rng(), 2.2) * n));
  const b = new EngineDataBuilder();
  const clusterOf = (user: number): number => user % CLUSTERS;
  const perCluster = Math.floor(size.items / CLUSTERS);
  for (let e = 0; e < size.interactions; e++) {
    const user = zipf(size.users);
    const item = rng() < 0.6 ? clusterOf(user) * perCluster + zipf(perCluster) : zipf(size.items);
    b.addInteraction(`u${user}`, `i${item}`, 1_700_000_000 + e * 30, rng() < 0.8 ? 'View' : 'Purchase');
  }
  b.itemColumns(['CATEGORY', 'PRICE'], { CATEGORY: 'categorical', PRICE: 'numeric' });
  for (let i = 0; i < size.items; i++) b.addItem(`i${i}`, [`c${Math.floor(i / perCluster)}|all`, String(1 + (i % 97))]);
  b.userColumns(['SEGMENT'], { SEGMENT: 'categorical' });
  for (let u = 0; u < size.users; u++) b.addUser(`u${u}`, [`s${clusterOf(u) % 5}`]);
  return b.build();
}

const RECIPES: readonly RecipeName[] = ['aws-sims', 'aws-user-personalization', 'aws-personalized-ranking'];

/**
 * Wall clock, and CPU time of this process (user + system): on a shared machine the wall clock
 * mostly measures the other tenants, while CPU time is what the evaluation itself cost.
 */
function timeEvaluate(recipe: RecipeName, data: EngineData): { ms: number; cpuMs: number; ndcg10: number; coverage: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = evaluateRecipe({ recipe, data, seed: 1 });
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  if (!r.ok) throw new Error(r.failure.message);
  return { ms, cpuMs: (used.user + used.system) / 1000, ndcg10: r.value.metrics.normalized_discounted_cumulative_gain_at_10, coverage: r.value.metrics.coverage };
}

const gc = (globalThis as { gc?: () => void }).gc;
for (const size of SIZES) {
  const data = generate(size, 42);
  const baseline: number[] = [];
  const all: number[] = [];
  const allCpu: number[] = [];
  const per = new Map<RecipeName, { ms: number[]; cpuMs: number[]; ndcg10: number; coverage: number }>();
  for (let round = 0; round < size.rounds; round++) {
    gc?.();
    const pop = timeEvaluate('aws-popularity-count', data);
    baseline.push(pop.ms);
    let total = 0;
    let totalCpu = 0;
    for (const recipe of ['aws-popularity-count' as const, ...RECIPES]) {
      const r = recipe === 'aws-popularity-count' ? pop : timeEvaluate(recipe, data);
      total += r.ms;
      totalCpu += r.cpuMs;
      const before = per.get(recipe);
      per.set(recipe, { ms: [...(before?.ms ?? []), r.ms], cpuMs: [...(before?.cpuMs ?? []), r.cpuMs], ndcg10: r.ndcg10, coverage: r.coverage });
    }
    all.push(total);
    allCpu.push(totalCpu);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`\n${size.interactions.toLocaleString('en')} interactions, ${size.users} users, ${size.items} items (median of ${size.rounds})`);
  for (const [recipe, r] of per) console.log(`  ${recipe.padEnd(28)} ${median(r.ms).toFixed(0).padStart(7)} ms (cpu ${median(r.cpuMs).toFixed(0).padStart(6)} ms)  ndcg@10 ${r.ndcg10.toFixed(4)}  coverage ${r.coverage.toFixed(3)}`);
  console.log(`  all recipes: ${median(all).toFixed(0)} ms (cpu ${median(allCpu).toFixed(0)} ms) = ${(median(all) / median(baseline)).toFixed(1)} x popularity alone (${median(baseline).toFixed(0)} ms); peak RSS so far ${rssMb.toFixed(0)} MB; load average ${loadavg()[0]?.toFixed(1)}`);
}
