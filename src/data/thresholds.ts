/**
 * Warning thresholds for data validation. The manifest's `validation.thresholds` keys map 1:1 to
 * these names, so renaming one is a breaking change for every poc.yaml.
 *
 * Shares are fractions in [0, 1]; counts are absolute. A warning fires when a measured share is
 * strictly above its threshold, or a measured count strictly below a `min*` threshold.
 */
export interface Thresholds {
  /** Share of empty values in one nullable column. */
  readonly missingValues: number;
  /** Share of interaction rows that repeat an earlier (user, item, timestamp). */
  readonly duplicateEvents: number;
  /** Share of interaction rows whose (user, item) pair was already seen. */
  readonly repeatedPairs: number;
  /** Share of metadata rows (items or users) that have no interactions. */
  readonly coldStart: number;
  /** Share of interactions that fall on the most popular 1% of items. */
  readonly popularityConcentration: number;
  /** Users with at least two interactions; the service refuses to train below 25. */
  readonly minUsersWithTwoInteractions: number;
  /** Interactions, in total and after each solution's event filter; the service needs 1000. */
  readonly minInteractions: number;
}

/**
 * `popularityConcentration` is 0.5: retail and media logs usually put 10-30% of interactions on
 * the top 1% of items. When half of all interactions land there, a popularity baseline is very
 * hard to beat and a personalised model has little signal left to learn from, which is the
 * usual way a proof of concept ends up "no better than best-sellers".
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  missingValues: 0.1,
  duplicateEvents: 0.1,
  repeatedPairs: 0.5,
  coldStart: 0.1,
  popularityConcentration: 0.5,
  minUsersWithTwoInteractions: 25,
  minInteractions: 1000,
};

export type ThresholdName = keyof Thresholds;

export const THRESHOLD_NAMES: readonly ThresholdName[] = Object.keys(DEFAULT_THRESHOLDS) as ThresholdName[];

/** Defaults overlaid with the manifest's overrides; unknown keys are the manifest loader's to report. */
export function resolveThresholds(overrides: Readonly<Record<string, number>> = {}): Thresholds {
  const out: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const name of THRESHOLD_NAMES) {
    const v = overrides[name];
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
  }
  return out as unknown as Thresholds;
}
