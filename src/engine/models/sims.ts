import type { IdDictionary } from '../id-dictionary.ts';
import { ParamReader } from '../params.ts';
import { ScoringModel } from '../scoring-model.ts';
import type { ModelState } from '../scoring-model.ts';
import { userHistory } from '../user-history.ts';
import type { UserHistory } from '../user-history.ts';
import type { EngineData, EngineResult, HyperParameters, RecipeName } from '../types.ts';

/** Settings of a SIMS model, named as Personalize names the SIMS hyperparameters where it has one. */
export interface SimsSettings {
  /** 0 ranks neighbours by raw co-occurrence; 1 divides fully by the neighbour's popularity. */
  readonly popularity_discount_factor: number;
  /** Pairs seen together by fewer users are not neighbours. */
  readonly min_cointeraction_count: number;
  /** Most recent distinct items per user that count towards co-occurrence. */
  readonly max_history_length: number;
  /** Neighbours kept per item. */
  readonly max_neighbours: number;
  /** How many of a user's latest items seed that user's recommendations. */
  readonly recent_items: number;
}

export function readSimsSettings(params: HyperParameters | undefined): EngineResult<SimsSettings> {
  const p = new ParamReader(params);
  const settings: SimsSettings = {
    popularity_discount_factor: p.number('popularity_discount_factor', 0.5, { min: 0, max: 1 }),
    min_cointeraction_count: p.number('min_cointeraction_count', 3, { min: 0, max: 1e6, integer: true }),
    max_history_length: p.number('max_history_length', 100, { min: 1, max: 10000, integer: true }),
    max_neighbours: p.number('max_neighbours', 100, { min: 1, max: 1000, integer: true }),
    recent_items: p.number('recent_items', 5, { min: 1, max: 100, integer: true }),
  };
  const failure = p.failure();
  return failure === undefined ? { ok: true, value: settings } : { ok: false, failure };
}

/**
 * aws-sims / aws-similar-items: item-item co-occurrence. Two items are similar when the same
 * users interacted with both; the score is the co-occurrence count divided by the neighbour's
 * user count raised to `popularity_discount_factor`, so blockbusters do not neighbour everything.
 * A user's recommendations blend the neighbours of their latest items, nearer items weighing more.
 */
export class SimsModel extends ScoringModel {
  readonly family = 'sims' as const;

  constructor(
    recipe: RecipeName,
    users: IdDictionary,
    items: IdDictionary,
    popularity: Float64Array,
    private readonly settings: SimsSettings,
    private readonly neighbours: { offsets: Int32Array; items: Int32Array; scores: Float32Array },
    private readonly history: UserHistory,
  ) {
    super(recipe, users, items, popularity);
  }

  protected userScores(user: number): Float64Array | undefined {
    const start = this.history.offsets[user] as number;
    const end = Math.min(this.history.offsets[user + 1] as number, start + this.settings.recent_items);
    if (end <= start) return undefined;
    const scores = new Float64Array(this.items.size);
    for (let k = start; k < end; k++) this.addNeighbours(scores, this.history.items[k] as number, 1 / (1 + k - start));
    return scores;
  }

  protected itemScores(item: number): Float64Array | undefined {
    const scores = new Float64Array(this.items.size);
    this.addNeighbours(scores, item, 1);
    return scores;
  }

  private addNeighbours(scores: Float64Array, item: number, weight: number): void {
    const n = this.neighbours;
    for (let k = n.offsets[item] as number; k < (n.offsets[item + 1] as number); k++) {
      const j = n.items[k] as number;
      scores[j] = (scores[j] as number) + weight * (n.scores[k] as number);
    }
  }

  state(): ModelState {
    return {
      family: this.family,
      recipe: this.recipe,
      users: this.users.toArray(),
      items: this.items.toArray(),
      settings: { ...this.settings },
      arrays: {
        popularity: this.popularity,
        neighbourOffsets: this.neighbours.offsets,
        neighbourItems: this.neighbours.items,
        neighbourScores: this.neighbours.scores,
        historyOffsets: this.history.offsets,
        historyItems: this.history.items,
      },
    };
  }
}

export function trainSims(recipe: RecipeName, data: EngineData, rows: Int32Array, popularity: Float64Array, settings: SimsSettings): SimsModel {
  const history = userHistory(data, rows, settings.max_history_length);
  const nItems = data.items.size;
  // Item -> users, from the capped histories, so co-occurrence costs at most limit x interactions.
  const userCount = new Float64Array(nItems);
  for (const item of history.items) userCount[item] = (userCount[item] as number) + 1;
  const start = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) start[i + 1] = (start[i] as number) + (userCount[i] as number);
  const cursor = start.slice(0, nItems);
  const itemUsers = new Int32Array(history.items.length);
  for (let u = 0; u < data.users.size; u++) {
    for (let k = history.offsets[u] as number; k < (history.offsets[u + 1] as number); k++) {
      const item = history.items[k] as number;
      itemUsers[cursor[item] as number] = u;
      cursor[item] = (cursor[item] as number) + 1;
    }
  }
  const co = new Float64Array(nItems);
  const score = new Float64Array(nItems);
  const touched: number[] = [];
  const offsets = new Int32Array(nItems + 1);
  const outItems: number[] = [];
  const outScores: number[] = [];
  for (let i = 0; i < nItems; i++) {
    for (let k = start[i] as number; k < (start[i + 1] as number); k++) {
      const u = itemUsers[k] as number;
      for (let m = history.offsets[u] as number; m < (history.offsets[u + 1] as number); m++) {
        const j = history.items[m] as number;
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j] = (co[j] as number) + 1;
      }
    }
    const candidates = touched.filter((j) => (co[j] as number) >= Math.max(1, settings.min_cointeraction_count));
    for (const j of candidates) score[j] = (co[j] as number) / Math.pow(userCount[j] as number, settings.popularity_discount_factor);
    candidates.sort((a, b) => (score[b] as number) - (score[a] as number) || (popularity[b] as number) - (popularity[a] as number) || a - b);
    for (const j of candidates.slice(0, settings.max_neighbours)) {
      outItems.push(j);
      outScores.push(score[j] as number);
    }
    for (const j of touched) co[j] = 0;
    touched.length = 0;
    offsets[i + 1] = outItems.length;
  }
  const neighbours = { offsets, items: Int32Array.from(outItems), scores: Float32Array.from(outScores) };
  return new SimsModel(recipe, data.users, data.items, popularity, settings, neighbours, history);
}
