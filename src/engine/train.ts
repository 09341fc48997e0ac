import { PopularityModel } from './models/popularity.ts';
import { readSimsSettings, trainSims } from './models/sims.ts';
import { readUserPersonalizationSettings, trainUserPersonalization } from './models/user-personalization.ts';
import { familyOf, parseRecipe } from './recipes.ts';
import type { ScoringModel } from './scoring-model.ts';
import { itemCounts, selectRows } from './sparse.ts';
import type { EngineData, EngineResult, HyperParameters, Model, RecipeName, TrainOptions } from './types.ts';

/**
 * Trains the model for a recipe on all interactions that pass the solution's event filter.
 * Same data, params and seed give a model whose outputs and serialized bytes are identical.
 */
export function trainModel(options: TrainOptions): EngineResult<Model> {
  const recipe = parseRecipe(options.recipe);
  if (recipe === undefined) return { ok: false, failure: { code: 'unknown-recipe', message: `The engine has no model for recipe ${options.recipe}.` } };
  const selected = selectRows(options.data, options.filter);
  if ('failure' in selected) return { ok: false, failure: selected.failure };
  return trainOnRows(recipe, options.data, selected.rows, options.params);
}

/** Trains on the given interaction rows; evaluation calls this with its training split. */
export function trainOnRows(recipe: RecipeName, data: EngineData, rows: Int32Array, params: HyperParameters | undefined): EngineResult<ScoringModel> {
  const popularity = itemCounts(data, rows);
  switch (familyOf(recipe)) {
    case 'popularity':
      return { ok: true, value: new PopularityModel(recipe, data.users, data.items, popularity) };
    case 'sims': {
      const settings = readSimsSettings(params);
      if (!settings.ok) return settings;
      return { ok: true, value: trainSims(recipe, data, rows, popularity, settings.value) };
    }
    case 'user-personalization': {
      const settings = readUserPersonalizationSettings(params);
      if (!settings.ok) return settings;
      return trainUserPersonalization(recipe, data, rows, popularity, settings.value);
    }
  }
}
