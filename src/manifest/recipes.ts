/**
 * The custom recipes a solution may use (personalize-facts.md section 4), by short name. Domain
 * use cases (aws-ecomm-*, aws-vod-*) are not here: they serve recommenders, not solutions.
 */
export const CUSTOM_RECIPES = [
  'aws-user-personalization-v2',
  'aws-user-personalization',
  'aws-popularity-count',
  'aws-trending-now',
  'aws-personalized-ranking-v2',
  'aws-personalized-ranking',
  'aws-similar-items',
  'aws-sims',
  'aws-semantic-similarity',
  'aws-next-best-action',
  'aws-item-affinity',
  'aws-item-attribute-affinity',
  'aws-hrnn',
  'aws-hrnn-metadata',
  'aws-hrnn-coldstart',
] as const;

export type CustomRecipe = (typeof CUSTOM_RECIPES)[number];

const RECIPE_ARN_PREFIX = 'arn:aws:personalize:::recipe/';

export function recipeArnOf(name: string): string {
  return `${RECIPE_ARN_PREFIX}${name}`;
}

/** The short name of `aws-sims` or `arn:aws:personalize:::recipe/aws-sims`; undefined for anything else. */
export function recipeNameOf(recipe: string): string | undefined {
  if (recipe.startsWith(RECIPE_ARN_PREFIX)) return recipe.slice(RECIPE_ARN_PREFIX.length);
  if (recipe.startsWith('arn:')) return undefined;
  return recipe;
}

export function isCustomRecipe(name: string): name is CustomRecipe {
  return (CUSTOM_RECIPES as readonly string[]).includes(name);
}

export function isDomainRecipe(name: string): boolean {
  return name.startsWith('aws-ecomm-') || name.startsWith('aws-vod-');
}
