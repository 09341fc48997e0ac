import { CATEGORIES } from './taxonomy.ts';

export const DAY_SECONDS = 86_400;

/** Share of sessions starting in each hour (UTC): quiet nights, a lunch bump, an evening peak. */
export const HOURLY = [0.6, 0.4, 0.3, 0.25, 0.25, 0.35, 0.6, 1, 1.4, 1.6, 1.7, 1.8, 2.1, 2, 1.8, 1.7, 1.8, 2, 2.4, 2.8, 3, 2.7, 2, 1.2];

/** Day of the year, 0-based, of a UTC timestamp. */
function dayOfYear(epochSeconds: number): number {
  const d = new Date(epochSeconds * 1000);
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000);
}

/** The day after the fourth Thursday of November of the timestamp's year, as epoch seconds. */
function blackFriday(epochSeconds: number): number {
  const year = new Date(epochSeconds * 1000).getUTCFullYear();
  const firstDow = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - firstDow + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1) / 1000;
}

/** A summer sales event in mid-July, like the big marketplaces run. */
function summerSale(epochSeconds: number): number {
  const year = new Date(epochSeconds * 1000).getUTCFullYear();
  return Date.UTC(year, 6, 16) / 1000;
}

function daysFrom(epochSeconds: number, event: number): number {
  return Math.round((epochSeconds - event) / DAY_SECONDS);
}

/** How much busier than usual a day is from sales events: 1 on an ordinary day. */
export function eventBoost(dayStart: number): number {
  const bf = daysFrom(dayStart, blackFriday(dayStart));
  if (bf === 0) return 2.6;
  if (bf === 3) return 2.1; // Cyber Monday
  if (bf > 0 && bf < 3) return 1.7;
  if (bf >= -7 && bf < 0) return 1.25;
  if (bf > 3 && bf <= 30) return 1.35; // holiday shopping up to Christmas
  const sale = daysFrom(dayStart, summerSale(dayStart));
  if (sale === 0 || sale === 1) return 1.8;
  return 1;
}

/** Relative number of interactions on a day: weekly rhythm, slow growth of the shop, sales events. */
export function dayVolume(dayStart: number, dayIndex: number, days: number): number {
  const dow = new Date(dayStart * 1000).getUTCDay();
  const weekly = dow === 0 || dow === 6 ? 1.15 : dow === 1 ? 0.95 : 1;
  const growth = 1 + (0.2 * dayIndex) / Math.max(1, days);
  return weekly * growth * eventBoost(dayStart);
}

/** How much likelier carts and purchases are on a day: shoppers buy more on sale days. */
export function conversionBoost(dayStart: number): number {
  return 1 + (eventBoost(dayStart) - 1) * 0.45;
}

function inHolidays(dayStart: number): number {
  const bf = daysFrom(dayStart, blackFriday(dayStart));
  return bf >= -7 && bf <= 30 ? 1 : 0;
}

function inBackToSchool(dayStart: number): number {
  const doy = dayOfYear(dayStart);
  return doy >= 200 && doy <= 245 ? 1 : 0;
}

/** Demand multiplier per category (same order as CATEGORIES) on a day. */
export function categorySeason(dayStart: number): number[] {
  const doy = dayOfYear(dayStart);
  const holidays = inHolidays(dayStart);
  const school = inBackToSchool(dayStart);
  return CATEGORIES.map((c) => {
    const cycle = 1 + c.season.amplitude * Math.cos((2 * Math.PI * (doy - c.season.peakDay)) / 365);
    return cycle * (1 + c.holidayBoost * holidays) * (1 + c.schoolBoost * school);
  });
}
