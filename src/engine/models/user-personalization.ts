import { featurize } from '../features.ts';
import type { IdDictionary } from '../id-dictionary.ts';
import { ParamReader } from '../params.ts';
import { ScoringModel } from '../scoring-model.ts';
import type { ModelState } from '../scoring-model.ts';
import { fromTriples, transpose, userItemCounts } from '../sparse.ts';
import type { SparseMatrix } from '../sparse.ts';
import { latestItems, userHistory } from '../user-history.ts';
import type { UserHistory } from '../user-history.ts';
import type { EngineData, EngineResult, HyperParameters, RecipeName } from '../types.ts';
import { easeWeights } from './ease.ts';
import { repeatScores, trendPrior } from './personal-signals.ts';
import type { RepeatScores } from './personal-signals.ts';
import { addNeighbours, itemNeighbours } from './neighbours.ts';
import type { ItemNeighbours, NeighbourSettings } from './neighbours.ts';

export interface UserPersonalizationSettings {
  /** EASE's L2 penalty; larger means smoother, more popularity-like scores. */
  readonly l2_regularization: number;
  /** The most popular items the model scores; EASE inverts a dense matrix of this size (cubic cost). */
  readonly max_items: number;
  /** Scale of item metadata pseudo-rows in the Gram matrix; 0 ignores item metadata. */
  readonly item_metadata_weight: number;
  /** Scale of user metadata input columns; 0 ignores user metadata. */
  readonly user_metadata_weight: number;
  /**
   * At scoring time an event this many days older than the user's latest counts half as much
   * (Personalize's UP weighs recent history more too, its `recency_mask`); 0 weighs all equally.
   */
  readonly recency_half_life_days: number;
  /**
   * Repeat consumption: score added to an item the user already took, per unit of their share of
   * events that went to it (see {@link repeatScores}); 0 leaves repeats to the item-item weights.
   */
  readonly repeat_weight: number;
  /** Half-life, in days before the user's latest event, of the repeat score; 0 never decays. */
  readonly repeat_half_life_days: number;
  /** Score added for recent catalogue-wide popularity, for the top item (see {@link trendPrior}); 0 turns it off. */
  readonly trend_weight: number;
  /** Half-life, in days before the newest training event, of an event's weight in the trend; 0 means all-time counts. */
  readonly trend_half_life_days: number;
  /**
   * Weight of the item-item neighbour score (SIMS-style co-occurrence from the user's latest
   * items, scaled so the user's best is 1) added to the scaled EASE score; 0 turns it off.
   */
  readonly neighbour_weight: number;
  /** How many of the user's latest distinct items seed the neighbour score, nearer ones weighing more. */
  readonly neighbour_recent_items: number;
}

export function readUserPersonalizationSettings(params: HyperParameters | undefined): EngineResult<UserPersonalizationSettings> {
  const p = new ParamReader(params);
  const settings: UserPersonalizationSettings = {
    l2_regularization: p.number('l2_regularization', 1500, { min: 1e-6, max: 1e9 }),
    max_items: p.number('max_items', 1000, { min: 1, max: 5000, integer: true }),
    item_metadata_weight: p.number('item_metadata_weight', 1, { min: 0, max: 1000 }),
    user_metadata_weight: p.number('user_metadata_weight', 3, { min: 0, max: 1000 }),
    recency_half_life_days: p.number('recency_half_life_days', 60, { min: 0, max: 36500 }),
    repeat_weight: p.number('repeat_weight', 6, { min: 0, max: 1000 }),
    repeat_half_life_days: p.number('repeat_half_life_days', 0, { min: 0, max: 36500 }),
    trend_weight: p.number('trend_weight', 0.2, { min: 0, max: 1000 }),
    trend_half_life_days: p.number('trend_half_life_days', 30, { min: 0, max: 36500 }),
    neighbour_weight: p.number('neighbour_weight', 1.5, { min: 0, max: 1000 }),
    neighbour_recent_items: p.number('neighbour_recent_items', 3, { min: 1, max: 100, integer: true }),
  };
  const failure = p.failure();
  return failure === undefined ? { ok: true, value: settings } : { ok: false, failure };
}

/**
 * aws-user-personalization(-v2) and aws-personalized-ranking(-v2): a blend of four signals, each
 * scaled so it means the same for every user. EASE over the most popular `max_items` items
 * (the user's best scores 1); item-item neighbours of the user's few latest items over the whole
 * catalogue (SIMS's co-occurrence, the best scores `neighbour_weight`), which carries "bought
 * together" and session intent that a whole-history EASE sum dilutes; the user's own repeat
 * purchases; and what is selling now. Defaults were chosen on a validation split of the training
 * users of the example and Online Retail data (bench/engine.md).
 * Metadata enters the closed form as extra data rather than as a second model: each item feature
 * (category, text token, price band) is a pseudo-user who "interacted" with every item carrying
 * it, which pulls items that share features together (the collective-EASE idea of Jeunen et al.
 * 2020); each user feature (e.g. country) is an extra input column, so B
 * learns which items people of that country take, and a user with no history still gets that.
 */
export class UserPersonalizationModel extends ScoringModel {
  readonly family = 'user-personalization' as const;

  constructor(
    recipe: RecipeName,
    users: IdDictionary,
    items: IdDictionary,
    popularity: Float64Array,
    private readonly settings: UserPersonalizationSettings,
    /** Catalogue index of each scored item (output column). */
    private readonly kept: Int32Array,
    /** inputs x outputs, row-major. */
    private readonly weights: Float32Array,
    /** Per user, the input columns (kept items, then user features) and their values. */
    private readonly inputs: SparseMatrix,
    private readonly repeats: RepeatScores,
    /** Per catalogue item, the trend score added for every user with history. */
    private readonly trend: Float64Array,
    private readonly neighbours: ItemNeighbours,
    /** Per user, the latest distinct items that seed the neighbour score, newest first. */
    private readonly recent: UserHistory,
  ) {
    super(recipe, users, items, popularity);
  }

  protected userScores(user: number): Float64Array | undefined {
    const repeatStart = this.repeats.offsets[user] as number;
    const repeatEnd = this.repeats.offsets[user + 1] as number;
    const hasInputs = (this.inputs.offsets[user + 1] as number) > (this.inputs.offsets[user] as number);
    const hasRecent = (this.recent.offsets[user + 1] as number) > (this.recent.offsets[user] as number);
    if (!hasInputs && !hasRecent && repeatEnd <= repeatStart) return undefined;
    const hasTrend = this.trend.length === this.items.size;
    // Without a trend prior only the items some signal speaks for are candidates.
    const scores = hasTrend ? Float64Array.from(this.trend) : new Float64Array(this.items.size).fill(-Infinity);
    const add = (item: number, value: number): void => {
      const s = scores[item] as number;
      scores[item] = (Number.isFinite(s) ? s : 0) + value;
    };
    const ease = this.easeScores(user);
    this.kept.forEach((item, j) => add(item, ease[j] as number));
    if (hasRecent && this.settings.neighbour_weight > 0) {
      const near = this.neighbourScores(user);
      near.forEach((v, item) => {
        if (v > 0) add(item, this.settings.neighbour_weight * v);
      });
    }
    for (let k = repeatStart; k < repeatEnd; k++) add(this.repeats.items[k] as number, this.repeats.scores[k] as number);
    return scores;
  }

  /** EASE scores of the kept items, scaled so the user's best is 1. */
  private easeScores(user: number): Float64Array {
    const m = this.kept.length;
    const acc = new Float64Array(m);
    for (let k = this.inputs.offsets[user] as number; k < (this.inputs.offsets[user + 1] as number); k++) {
      const base = (this.inputs.indices[k] as number) * m;
      const v = this.inputs.values[k] as number;
      for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + v * (this.weights[base + j] as number);
    }
    // EASE scores grow with history length; scaling makes the added signals mean the same for everyone.
    return scaleToBest(acc);
  }

  /** Neighbours of the user's latest items over the catalogue, the k-th latest weighing 1/k, scaled so the best is 1. */
  private neighbourScores(user: number): Float64Array {
    const scores = new Float64Array(this.items.size);
    const start = this.recent.offsets[user] as number;
    for (let k = start; k < (this.recent.offsets[user + 1] as number); k++) addNeighbours(scores, this.neighbours, this.recent.items[k] as number, 1 / (1 + k - start));
    return scaleToBest(scores);
  }

  protected itemScores(item: number): Float64Array | undefined {
    const col = this.kept.indexOf(item);
    if (col < 0) return undefined;
    const m = this.kept.length;
    const scores = new Float64Array(this.items.size).fill(-Infinity);
    for (let j = 0; j < m; j++) scores[this.kept[j] as number] = this.weights[col * m + j] as number;
    return scores;
  }

  state(): ModelState {
    return {
      family: this.family,
      recipe: this.recipe,
      users: this.users.toArray(),
      items: this.items.toArray(),
      settings: { ...this.settings, inputColumns: this.inputs.cols },
      arrays: {
        popularity: this.popularity,
        kept: this.kept,
        weights: this.weights,
        inputOffsets: this.inputs.offsets,
        inputIndices: this.inputs.indices,
        inputValues: this.inputs.values,
        repeatOffsets: this.repeats.offsets,
        repeatItems: this.repeats.items,
        repeatScores: this.repeats.scores,
        trend: this.trend,
        neighbourOffsets: this.neighbours.offsets,
        neighbourItems: this.neighbours.items,
        neighbourScores: this.neighbours.scores,
        recentOffsets: this.recent.offsets,
        recentItems: this.recent.items,
      },
    };
  }
}

export function trainUserPersonalization(
  recipe: RecipeName,
  data: EngineData,
  rows: Int32Array,
  popularity: Float64Array,
  settings: UserPersonalizationSettings,
): EngineResult<UserPersonalizationModel> {
  const nUsers = data.users.size;
  const nItems = data.items.size;
  const order = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => (popularity[b] as number) - (popularity[a] as number) || a - b);
  const kept = Int32Array.from(order.slice(0, settings.max_items));
  const m = kept.length;
  const colOf = new Int32Array(nItems).fill(-1);
  kept.forEach((item, k) => {
    colOf[item] = k;
  });
  const userFeatures = settings.user_metadata_weight > 0 ? featurize(data.userMetadata, nUsers) : undefined;
  const itemFeatures = settings.item_metadata_weight > 0 && data.itemMetadata !== undefined ? transpose(featurize(data.itemMetadata, nItems)) : undefined;
  const fu = userFeatures?.cols ?? 0;
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  const counts = userItemCounts(data, rows);
  for (let u = 0; u < nUsers; u++) {
    for (let k = counts.offsets[u] as number; k < (counts.offsets[u + 1] as number); k++) {
      const col = colOf[counts.indices[k] as number] as number;
      if (col < 0) continue;
      r.push(u);
      c.push(col);
      v.push(1);
    }
    if (userFeatures === undefined) continue;
    for (let k = userFeatures.offsets[u] as number; k < (userFeatures.offsets[u + 1] as number); k++) {
      r.push(u);
      c.push(m + (userFeatures.indices[k] as number));
      v.push((userFeatures.values[k] as number) * settings.user_metadata_weight);
    }
  }
  const featureRows = itemFeatures?.rows ?? 0;
  for (let f = 0; f < featureRows; f++) {
    const features = itemFeatures as SparseMatrix;
    for (let k = features.offsets[f] as number; k < (features.offsets[f + 1] as number); k++) {
      const col = colOf[features.indices[k] as number] as number;
      if (col < 0) continue;
      r.push(nUsers + f);
      c.push(col);
      v.push((features.values[k] as number) * settings.item_metadata_weight);
    }
  }
  const matrix = fromTriples(nUsers + featureRows, m + fu, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
  const weights = easeWeights(matrix, m, settings.l2_regularization);
  if (weights === undefined) {
    return { ok: false, failure: { code: 'insufficient-data', message: 'The item co-occurrence matrix is singular; raise l2_regularization.' } };
  }
  const inputs = scoringInputs(data, rows, colOf, m, userFeatures, settings);
  const repeats = repeatScores(data, rows, settings.repeat_weight, settings.repeat_half_life_days);
  const trend = settings.trend_weight > 0 ? trendPrior(data, rows, settings.trend_weight, settings.trend_half_life_days) : new Float64Array(0);
  const { neighbours, recent } = neighbourSignal(data, rows, popularity, settings);
  return { ok: true, value: new UserPersonalizationModel(recipe, data.users, data.items, popularity, settings, kept, weights, inputs, repeats, trend, neighbours, recent) };
}

/** SIMS's defaults: co-occurrence over each user's latest 100 items, discounted by the square root of popularity. */
const NEIGHBOURS: NeighbourSettings = { popularity_discount_factor: 0.5, min_cointeraction_count: 3, max_neighbours: 100 };
const NEIGHBOUR_HISTORY = 100;

function neighbourSignal(data: EngineData, rows: Int32Array, popularity: Float64Array, settings: UserPersonalizationSettings): { neighbours: ItemNeighbours; recent: UserHistory } {
  if (settings.neighbour_weight === 0) {
    return { neighbours: { offsets: new Int32Array(data.items.size + 1), items: new Int32Array(0), scores: new Float32Array(0) }, recent: { offsets: new Int32Array(data.users.size + 1), items: new Int32Array(0) } };
  }
  const history = userHistory(data, rows, NEIGHBOUR_HISTORY);
  return { neighbours: itemNeighbours(data, history, popularity, NEIGHBOURS), recent: latestItems(history, settings.neighbour_recent_items) };
}

/**
 * Each user's scoring input: per kept item the weight of its latest event, decayed by its age
 * relative to the user's latest event, then the user's metadata features.
 */
function scoringInputs(
  data: EngineData,
  rows: Int32Array,
  colOf: Int32Array,
  m: number,
  userFeatures: SparseMatrix | undefined,
  settings: UserPersonalizationSettings,
): SparseMatrix {
  const it = data.interactions;
  const nUsers = data.users.size;
  const latest = new Float64Array(nUsers).fill(-Infinity);
  for (const row of rows) latest[it.user[row] as number] = Math.max(latest[it.user[row] as number] as number, it.timestamp[row] as number);
  const halfLife = settings.recency_half_life_days * 86400;
  // A repeated item counts once, at the weight of its latest event, so heavy repeaters do not drown the rest.
  const decay = new Map<number, number>();
  for (const row of rows) {
    const u = it.user[row] as number;
    const col = colOf[it.item[row] as number] as number;
    if (col < 0) continue;
    const w = halfLife === 0 ? 1 : Math.pow(0.5, ((latest[u] as number) - (it.timestamp[row] as number)) / halfLife);
    const key = u * m + col;
    decay.set(key, Math.max(decay.get(key) ?? 0, w));
  }
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (const [key, w] of decay) {
    r.push(Math.floor(key / m));
    c.push(key % m);
    v.push(w);
  }
  if (userFeatures !== undefined) {
    for (let u = 0; u < nUsers; u++) {
      for (let k = userFeatures.offsets[u] as number; k < (userFeatures.offsets[u + 1] as number); k++) {
        r.push(u);
        c.push(m + (userFeatures.indices[k] as number));
        v.push((userFeatures.values[k] as number) * settings.user_metadata_weight);
      }
    }
  }
  return fromTriples(nUsers, m + (userFeatures?.cols ?? 0), Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
}

/** Divides by the largest entry when it is positive, in place; returns the array. */
function scaleToBest(values: Float64Array): Float64Array {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  if (max > 0) for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / max;
  return values;
}
