import type { RecipeName } from '../../engine/types.ts';
import { invalidInput, notFound } from './errors.ts';
import type { KindModule } from './operation.ts';
import { paginate } from './pagination.ts';
import { epochSeconds } from './protocol.ts';
import { ARN, DOMAIN, MAX_RESULTS, NEXT_TOKEN, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';

/**
 * What a recipe is for. The model documents only three values and treats the field as an open
 * string; these are the ones the service's recipes report.
 */
export type RecipeType = 'USER_PERSONALIZATION' | 'POPULAR_ITEMS' | 'PERSONALIZED_RANKING' | 'RELATED_ITEMS' | 'PERSONALIZED_ACTIONS' | 'USER_SEGMENTATION';

/**
 * One catalogue entry. Invariants: `domain` is set exactly for domain use cases (recommenders
 * only, never solutions); `engine` names the local model that trains it, absent when the emulator
 * cannot train the recipe (its solution versions then fail with a reason saying so).
 */
export interface RecipeEntry {
  readonly name: string;
  readonly recipeType: RecipeType;
  readonly description: string;
  readonly domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  readonly engine?: RecipeName;
}

const custom = (name: string, recipeType: RecipeType, description: string, engine?: RecipeName): RecipeEntry => ({
  name,
  recipeType,
  description,
  ...(engine === undefined ? {} : { engine }),
});
const useCase = (domain: 'ECOMMERCE' | 'VIDEO_ON_DEMAND', name: string, recipeType: RecipeType, description: string): RecipeEntry => ({ name, recipeType, description, domain });

/**
 * The service's recipes (facts section 4). Where the engine has no model of its own, the closest
 * one stands in: legacy HRNN recipes train as User-Personalization, Trending-Now as popularity.
 */
export const RECIPES: readonly RecipeEntry[] = [
  custom('aws-user-personalization-v2', 'USER_PERSONALIZATION', 'Recommends items for a user from their interactions; scales to large catalogues.', 'aws-user-personalization-v2'),
  custom('aws-user-personalization', 'USER_PERSONALIZATION', 'Recommends items for a user, with item exploration and impressions.', 'aws-user-personalization'),
  custom('aws-popularity-count', 'USER_PERSONALIZATION', 'Recommends the most popular items; a baseline.', 'aws-popularity-count'),
  custom('aws-trending-now', 'POPULAR_ITEMS', 'Recommends items whose popularity is rising fastest.', 'aws-popularity-count'),
  custom('aws-personalized-ranking-v2', 'PERSONALIZED_RANKING', 'Ranks a list of items for a user; scales to large catalogues.', 'aws-personalized-ranking-v2'),
  custom('aws-personalized-ranking', 'PERSONALIZED_RANKING', 'Ranks a list of items for a user.', 'aws-personalized-ranking'),
  custom('aws-similar-items', 'RELATED_ITEMS', 'Recommends items similar to an item, from interactions and item metadata.', 'aws-similar-items'),
  custom('aws-sims', 'RELATED_ITEMS', 'Recommends items that users interact with together (item-to-item similarity).', 'aws-sims'),
  custom('aws-semantic-similarity', 'RELATED_ITEMS', 'Recommends items semantically similar to an item, from item text.'),
  custom('aws-next-best-action', 'PERSONALIZED_ACTIONS', 'Recommends the actions a user is most likely to take.'),
  // Item-Affinity trains as User-Personalization: batch segment jobs score every user for each item.
  custom('aws-item-affinity', 'USER_SEGMENTATION', 'Finds the users most likely to interact with each item.', 'aws-user-personalization'),
  custom('aws-item-attribute-affinity', 'USER_SEGMENTATION', 'Finds the users most likely to interact with items that have an attribute.'),
  custom('aws-hrnn', 'USER_PERSONALIZATION', 'Legacy: hierarchical recurrent network over user histories.', 'aws-user-personalization'),
  custom('aws-hrnn-metadata', 'USER_PERSONALIZATION', 'Legacy: HRNN with item and user metadata.', 'aws-user-personalization'),
  custom('aws-hrnn-coldstart', 'USER_PERSONALIZATION', 'Legacy: HRNN with metadata and new-item exploration.', 'aws-user-personalization'),
  useCase('ECOMMERCE', 'aws-ecomm-popular-items-by-views', 'POPULAR_ITEMS', 'Most viewed items.'),
  useCase('ECOMMERCE', 'aws-ecomm-popular-items-by-purchases', 'POPULAR_ITEMS', 'Best sellers.'),
  useCase('ECOMMERCE', 'aws-ecomm-frequently-bought-together', 'RELATED_ITEMS', 'Items frequently bought together with an item.'),
  useCase('ECOMMERCE', 'aws-ecomm-customers-who-viewed-x-also-viewed', 'RELATED_ITEMS', 'Customers who viewed X also viewed.'),
  useCase('ECOMMERCE', 'aws-ecomm-recommended-for-you', 'USER_PERSONALIZATION', 'Recommended for you.'),
  useCase('VIDEO_ON_DEMAND', 'aws-vod-because-you-watched-x', 'RELATED_ITEMS', 'Because you watched X.'),
  useCase('VIDEO_ON_DEMAND', 'aws-vod-more-like-x', 'RELATED_ITEMS', 'More like X.'),
  useCase('VIDEO_ON_DEMAND', 'aws-vod-most-popular', 'POPULAR_ITEMS', 'Most popular videos.'),
  useCase('VIDEO_ON_DEMAND', 'aws-vod-trending-now', 'POPULAR_ITEMS', 'Trending now.'),
  useCase('VIDEO_ON_DEMAND', 'aws-vod-top-picks', 'USER_PERSONALIZATION', 'Top picks for you.'),
];

/** Recipes are global resources: no region, no account. */
export function recipeArn(name: string): string {
  return `arn:aws:personalize:::recipe/${name}`;
}

/** The entry an ARN names, or undefined (the caller picks the error). */
export function findRecipe(arn: string): RecipeEntry | undefined {
  return RECIPES.find((r) => recipeArn(r.name) === arn);
}

/** A recipe a solution may use: it exists and is not a domain use case. */
export function solutionRecipe(arn: string): RecipeEntry {
  const recipe = findRecipe(arn);
  if (recipe === undefined) throw notFound('recipe', arn);
  if (recipe.domain !== undefined) {
    throw invalidInput(`Recipe ${arn} is a ${recipe.domain} domain use case; use it with CreateRecommender, not in a solution.`);
  }
  return recipe;
}

/**
 * Recipes have been there since before any emulator state; one fixed creation time keeps List
 * pages and Describe output identical from run to run.
 */
const RECIPES_CREATED_AT = Date.UTC(2019, 5, 10);

const RECORDS: readonly ResourceRecord<RecipeEntry>[] = RECIPES.map((entry) => ({
  kind: 'recipe',
  arn: recipeArn(entry.name),
  name: entry.name,
  createdAt: RECIPES_CREATED_AT,
  updatedAt: RECIPES_CREATED_AT,
  status: 'ACTIVE',
  tags: [],
  attrs: entry,
}));

function summary(record: ResourceRecord<RecipeEntry>): Record<string, unknown> {
  const at = epochSeconds(record.createdAt);
  return {
    name: record.name,
    recipeArn: record.arn,
    status: 'ACTIVE',
    creationDateTime: at,
    lastUpdatedDateTime: at,
    ...(record.attrs.domain === undefined ? {} : { domain: record.attrs.domain }),
  };
}

/** ListRecipes and DescribeRecipe over the fixed catalogue; recipes are not stored state. */
export const recipesModule: KindModule = {
  kind: 'recipe',
  operations: {
    ListRecipes: {
      input: structure({ recipeProvider: { type: 'string', enum: ['SERVICE'] }, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS, domain: DOMAIN }),
      run(_state, input) {
        const domain = input.optString('domain');
        const all = RECORDS.filter((r) => domain === undefined || r.attrs.domain === domain);
        const { page, nextToken } = paginate(all, `ListRecipes:${domain ?? ''}`, input.optInteger('maxResults'), input.optString('nextToken'));
        return { recipes: page.map(summary), ...(nextToken === undefined ? {} : { nextToken }) };
      },
    },
    DescribeRecipe: {
      input: structure({ recipeArn: required(ARN) }),
      run(_state, input) {
        const arn = input.string('recipeArn');
        const record = RECORDS.find((r) => r.arn === arn);
        if (record === undefined) throw notFound('recipe', arn);
        return {
          recipe: {
            ...summary(record),
            algorithmArn: `arn:aws:personalize:::algorithm/${record.name}`,
            description: record.attrs.description,
            recipeType: record.attrs.recipeType,
          },
        };
      },
    },
  },
};
