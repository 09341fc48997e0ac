import type { ModelFamily, RecipeName } from './types.ts';

const FAMILY: Readonly<Record<RecipeName, ModelFamily>> = {
  'aws-popularity-count': 'popularity',
  'aws-sims': 'sims',
  'aws-similar-items': 'sims',
  'aws-user-personalization': 'user-personalization',
  'aws-user-personalization-v2': 'user-personalization',
  'aws-personalized-ranking': 'user-personalization',
  'aws-personalized-ranking-v2': 'user-personalization',
};

export const RECIPE_NAMES = Object.keys(FAMILY) as readonly RecipeName[];

export function familyOf(recipe: RecipeName): ModelFamily {
  return FAMILY[recipe];
}

/** Accepts a recipe name or its ARN (`arn:aws:personalize:::recipe/<name>`). */
export function parseRecipe(nameOrArn: string): RecipeName | undefined {
  const name = nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
  return RECIPE_NAMES.find((r) => r === name);
}
