import { DAY_SECONDS } from './calendar.ts';
import type { Random } from './random.ts';
import { CATEGORIES, COLORS, PREMIUM_BRANDS } from './taxonomy.ts';

/** One product. Invariant: `tier` is the price tercile of the item inside its category. */
export interface Item {
  readonly id: string;
  readonly category: number;
  readonly subcategory: string;
  readonly brand: string;
  /** Missing for some items, as in a real catalogue. */
  readonly color: string | undefined;
  /** One to three values; written `|`-separated. */
  readonly styles: readonly string[];
  readonly price: number;
  readonly createdAt: number;
  /** Zipf-like base popularity: a few items get most of the attention. */
  readonly popularity: number;
  /** Log-rate of popularity change over the period: some items rise, some fade. */
  readonly trend: number;
  tier: number;
}

/** Exponent of the popularity law: 1 gives the long tail seen in retail catalogues. */
const ZIPF_EXPONENT = 1.05;
/** Items launched during the period rather than before it. */
const LAUNCH_SHARE = 0.15;

export function makeCatalog(rng: Random, count: number, start: number, days: number): Item[] {
  const width = String(count).length + 1;
  const ranks = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  const shares = CATEGORIES.map((c) => c.share);
  const items: Item[] = [];
  for (let i = 0; i < count; i += 1) {
    // The first items cover every category once, so even a tiny catalogue has all of them.
    const category = i < CATEGORIES.length ? i : rng.weighted(shares);
    const spec = CATEGORIES[category];
    if (spec === undefined) throw new RangeError('category index out of range');
    const brandIndex = Math.min(spec.brands.length - 1, Math.floor(-Math.log(1 - rng.float()) * 1.3));
    const brand = spec.brands[brandIndex] ?? rng.pick(spec.brands);
    const raw = spec.basePrice * (PREMIUM_BRANDS[brand] ?? 1) * Math.exp(0.55 * rng.normal());
    const price = Math.max(1.99, Math.round(raw) - 0.01);
    // The first items exist before the period starts, so every day has something to show.
    const launched = i >= CATEGORIES.length && rng.chance(LAUNCH_SHARE);
    const createdAt = launched
      ? start + Math.floor(rng.float() * Math.max(1, days - 14)) * DAY_SECONDS + rng.int(DAY_SECONDS)
      : start - (30 + rng.int(700)) * DAY_SECONDS - rng.int(DAY_SECONDS);
    const styleCount = 1 + rng.weighted([0.5, 0.35, 0.15]);
    const styles = rng.shuffle([...spec.styles]).slice(0, styleCount).sort();
    items.push({
      id: `P${String(i + 1).padStart(width, '0')}`,
      category,
      subcategory: rng.pick(spec.subcategories),
      brand,
      color: rng.chance(spec.colorMissing) ? undefined : rng.pick(COLORS),
      styles,
      price,
      createdAt,
      popularity: 1 / Math.pow((ranks[i] ?? i) + 1, ZIPF_EXPONENT),
      trend: 0.9 * rng.normal(),
      tier: 1,
    });
  }
  assignTiers(items);
  return items;
}

function assignTiers(items: Item[]): void {
  for (let c = 0; c < CATEGORIES.length; c += 1) {
    const inCategory = items.filter((it) => it.category === c).sort((a, b) => a.price - b.price);
    inCategory.forEach((it, i) => {
      it.tier = Math.min(2, Math.floor((3 * i) / inCategory.length));
    });
  }
}

/**
 * An item's weight on a day: base popularity, its trend over the period, zero before launch and a
 * launch buzz that fades over a few weeks.
 */
export function itemWeight(item: Item, dayStart: number, progress: number): number {
  if (item.createdAt >= dayStart) return 0;
  const age = (dayStart - item.createdAt) / DAY_SECONDS;
  const buzz = age < 60 ? 1 + 4 * Math.exp(-age / 15) : 1;
  return item.popularity * Math.exp(item.trend * (progress - 0.5)) * buzz;
}

export function itemCsvRow(item: Item): string {
  const spec = CATEGORIES[item.category];
  return [item.id, spec?.name ?? '', item.subcategory, item.brand, item.color ?? '', item.styles.join('|'), item.price.toFixed(2), String(item.createdAt)].join(',');
}

export const ITEM_COLUMNS = ['ITEM_ID', 'CATEGORY_L1', 'CATEGORY_L2', 'BRAND', 'COLOR', 'STYLE', 'PRICE', 'CREATION_TIMESTAMP'] as const;
