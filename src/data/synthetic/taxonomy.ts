/**
 * The made-up retail world: categories, brands, styles and shopper personas. Numbers are chosen
 * so the data shows what a real shop shows (see generate.ts); names are invented.
 */
export interface CategorySpec {
  readonly name: string;
  /** Share of the catalogue. */
  readonly share: number;
  readonly subcategories: readonly string[];
  /** Median price in dollars. */
  readonly basePrice: number;
  /** Brands, most common first. */
  readonly brands: readonly string[];
  readonly styles: readonly string[];
  /** Items of this category that have no COLOR value (it does not apply or was not entered). */
  readonly colorMissing: number;
  /** Yearly cycle: relative amplitude and day of the year of the peak. */
  readonly season: { readonly amplitude: number; readonly peakDay: number };
  /** Extra demand from Black Friday to Christmas, and in the back-to-school weeks. */
  readonly holidayBoost: number;
  readonly schoolBoost: number;
}

export const CATEGORIES: readonly CategorySpec[] = [
  { name: 'Apparel', share: 0.22, subcategories: ['Tops', 'Dresses', 'Jeans', 'Outerwear', 'Activewear', 'Swimwear'], basePrice: 35, brands: ['Urbanline', 'Northwind', 'Cotton Lane', 'Meridian', 'Stride'], styles: ['casual', 'classic', 'sport', 'minimalist', 'vintage', 'eco'], colorMissing: 0.02, season: { amplitude: 0.1, peakDay: 290 }, holidayBoost: 0.4, schoolBoost: 0.25 },
  { name: 'Footwear', share: 0.1, subcategories: ['Sneakers', 'Boots', 'Sandals', 'Running'], basePrice: 70, brands: ['Stride', 'Trailmark', 'Pacer', 'Urbanline'], styles: ['casual', 'sport', 'classic', 'outdoor'], colorMissing: 0.03, season: { amplitude: 0.15, peakDay: 250 }, holidayBoost: 0.3, schoolBoost: 0.3 },
  { name: 'Accessories', share: 0.1, subcategories: ['Bags', 'Watches', 'Sunglasses', 'Jewelry'], basePrice: 45, brands: ['Meridian', 'Aurel', 'Lumen', 'Urbanline'], styles: ['classic', 'premium', 'minimalist', 'vintage'], colorMissing: 0.05, season: { amplitude: 0.2, peakDay: 170 }, holidayBoost: 0.9, schoolBoost: 0.1 },
  { name: 'Beauty', share: 0.12, subcategories: ['Skincare', 'Makeup', 'Fragrance', 'Haircare'], basePrice: 24, brands: ['Bloom', 'Lumen', 'Aurel', 'Verde'], styles: ['eco', 'premium', 'classic', 'minimalist'], colorMissing: 0.25, season: { amplitude: 0.05, peakDay: 340 }, holidayBoost: 0.7, schoolBoost: 0 },
  { name: 'Home', share: 0.14, subcategories: ['Kitchen', 'Bedding', 'Decor', 'Storage'], basePrice: 40, brands: ['Hearth', 'Nest and Oak', 'Verde', 'Northwind'], styles: ['minimalist', 'classic', 'vintage', 'eco'], colorMissing: 0.08, season: { amplitude: 0.1, peakDay: 320 }, holidayBoost: 0.6, schoolBoost: 0.1 },
  { name: 'Electronics', share: 0.12, subcategories: ['Headphones', 'Smart Home', 'Phone Accessories', 'Gaming', 'Cameras'], basePrice: 110, brands: ['Voltix', 'Sonaro', 'Pixelworks', 'Lumen'], styles: ['tech', 'premium', 'minimalist', 'sport'], colorMissing: 0.05, season: { amplitude: 0.1, peakDay: 350 }, holidayBoost: 1.4, schoolBoost: 0.35 },
  { name: 'Outdoors', share: 0.1, subcategories: ['Camping', 'Hiking', 'Cycling', 'Fishing'], basePrice: 60, brands: ['Trailmark', 'Summit Gear', 'Pacer', 'Northwind'], styles: ['outdoor', 'sport', 'eco', 'classic'], colorMissing: 0.05, season: { amplitude: 0.55, peakDay: 185 }, holidayBoost: 0.2, schoolBoost: 0 },
  { name: 'Kids', share: 0.1, subcategories: ['Toys', 'Baby', 'Kids Clothing', 'School Supplies'], basePrice: 22, brands: ['Little Oak', 'Playwell', 'Bloom', 'Pixelworks'], styles: ['casual', 'eco', 'classic', 'tech'], colorMissing: 0.1, season: { amplitude: 0.1, peakDay: 230 }, holidayBoost: 1.2, schoolBoost: 0.8 },
];

export const COLORS = ['black', 'white', 'grey', 'navy', 'blue', 'red', 'green', 'beige', 'pink'] as const;

/** Brands that charge more than their category's median. */
export const PREMIUM_BRANDS: Readonly<Record<string, number>> = { Aurel: 1.9, Meridian: 1.4, Sonaro: 1.5, 'Summit Gear': 1.4, Hearth: 1.2 };

export const AGE_GROUPS = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
export const MEMBERSHIPS = ['standard', 'silver', 'gold'] as const;
export const REGIONS = ['Northeast', 'Southeast', 'Midwest', 'Southwest', 'West'] as const;
export const PRICE_TIERS = ['budget', 'mid', 'premium'] as const;

/**
 * A kind of shopper. Tastes are weights over CATEGORIES (same order); a user's own tastes are the
 * persona's with personal noise, and the user's metadata is drawn from the persona's
 * distributions, which is what makes metadata predictive of tastes.
 */
export interface Persona {
  readonly name: string;
  readonly share: number;
  readonly tastes: readonly number[];
  readonly ages: readonly number[];
  readonly regions: readonly number[];
  /** Weights over PRICE_TIERS. */
  readonly tiers: readonly number[];
  /** Weights over MEMBERSHIPS. */
  readonly memberships: readonly number[];
}

export const PERSONAS: readonly Persona[] = [
  { name: 'trend-setter', share: 0.18, tastes: [5, 3, 2.5, 2, 0.4, 1, 0.4, 0.2], ages: [0.6, 0.3, 0.07, 0.02, 0.01], regions: [0.45, 0.15, 0.1, 0.1, 0.2], tiers: [0.25, 0.45, 0.3], memberships: [0.55, 0.3, 0.15] },
  { name: 'young-parent', share: 0.18, tastes: [1.2, 0.6, 0.3, 0.8, 2, 0.6, 0.4, 6], ages: [0.03, 0.5, 0.42, 0.04, 0.01], regions: [0.1, 0.3, 0.4, 0.15, 0.05], tiers: [0.5, 0.4, 0.1], memberships: [0.6, 0.3, 0.1] },
  { name: 'outdoor-enthusiast', share: 0.14, tastes: [1.2, 2.5, 0.5, 0.2, 0.3, 0.8, 6, 0.3], ages: [0.1, 0.3, 0.35, 0.2, 0.05], regions: [0.05, 0.05, 0.1, 0.25, 0.55], tiers: [0.25, 0.45, 0.3], memberships: [0.5, 0.3, 0.2] },
  { name: 'tech-fan', share: 0.16, tastes: [0.6, 0.6, 1, 0.2, 0.5, 7, 0.4, 0.3], ages: [0.45, 0.4, 0.1, 0.04, 0.01], regions: [0.15, 0.1, 0.15, 0.15, 0.45], tiers: [0.3, 0.4, 0.3], memberships: [0.55, 0.3, 0.15] },
  { name: 'home-maker', share: 0.18, tastes: [1, 0.4, 0.5, 1.5, 6, 0.5, 0.3, 1], ages: [0.02, 0.1, 0.3, 0.38, 0.2], regions: [0.15, 0.35, 0.3, 0.15, 0.05], tiers: [0.4, 0.45, 0.15], memberships: [0.5, 0.35, 0.15] },
  { name: 'classic-shopper', share: 0.16, tastes: [1.5, 1, 3, 4, 1.5, 0.6, 0.4, 0.4], ages: [0.01, 0.04, 0.15, 0.35, 0.45], regions: [0.45, 0.2, 0.15, 0.1, 0.1], tiers: [0.15, 0.35, 0.5], memberships: [0.3, 0.35, 0.35] },
];
