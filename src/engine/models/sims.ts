import type { IdDictionary } from '../id-dictionary.ts';
import { ParamReader } from '../params.ts';
import { ScoringModel } from '../scoring-model.ts';
import type { ModelState } from '../scoring-model.ts';
import { userHistory } from '../user-history.ts';
import type { UserHistory } from '../user-history.ts';
import type { EngineData, EngineResult, HyperParameters, RecipeName } from '../types.ts';
import { addNeighbours, itemNeighbours } from './neighbours.ts';
import type { ItemNeighbours, NeighbourSettings } from './neighbours.ts';

/** Settings of a SIMS model, named as Personalize names the SIMS hyperparameters where it has one. */
export interface SimsSettings extends NeighbourSettings {
  /** Most recent distinct items per user that count towards co-occurrence. */
  readonly max_history_length: number;
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
    private readonly neighbours: ItemNeighbours,
    private readonly history: UserHistory,
  ) {
    super(recipe, users, items, popularity);
  }

  protected userScores(user: number): Float64Array | undefined {
    const start = this.history.offsets[user] as number;
    const end = Math.min(this.history.offsets[user + 1] as number, start + this.settings.recent_items);
    if (end <= start) return undefined;
    const scores = new Float64Array(this.items.size);
    for (let k = start; k < end; k++) addNeighbours(scores, this.neighbours, this.history.items[k] as number, 1 / (1 + k - start));
    return scores;
  }

  protected itemScores(item: number): Float64Array | undefined {
    const scores = new Float64Array(this.items.size);
    addNeighbours(scores, this.neighbours, item, 1);
    return scores;
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
  const neighbours = itemNeighbours(data, history, popularity, settings);
  return new SimsModel(recipe, data.users, data.items, popularity, settings, neighbours, history);
}
