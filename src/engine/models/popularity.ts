import type { IdDictionary } from '../id-dictionary.ts';
import { ScoringModel } from '../scoring-model.ts';
import type { ModelState } from '../scoring-model.ts';
import type { RecipeName } from '../types.ts';

/**
 * aws-popularity-count: every user gets the most interacted-with items. It is the baseline the
 * Personalize docs suggest comparing against.
 */
export class PopularityModel extends ScoringModel {
  readonly family = 'popularity' as const;

  constructor(recipe: RecipeName, users: IdDictionary, items: IdDictionary, popularity: Float64Array) {
    super(recipe, users, items, popularity);
  }

  protected userScores(): Float64Array | undefined {
    return undefined;
  }

  protected itemScores(): Float64Array | undefined {
    return undefined;
  }

  state(): ModelState {
    return {
      family: this.family,
      recipe: this.recipe,
      users: this.users.toArray(),
      items: this.items.toArray(),
      settings: {},
      arrays: { popularity: this.popularity },
    };
  }
}
