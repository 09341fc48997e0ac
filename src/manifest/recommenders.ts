import { closest, error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { ManifestContext } from './files.ts';
import { checkName, MAX_NAME_LENGTH, recommenderName } from './naming.ts';
import { recipeArnOf, recipeNameOf } from './recipes.ts';
import type { Domain, ItemExplorationSpec, RecommenderSpec, SolutionSpec } from './types.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import { KEY, record, wellFormedPocName } from './raw-document.ts';

/** One recommender as written, once it has passed the JSON Schema. */
export interface RawRecommender {
  recipe: string;
  name?: string;
  minRequestsPerSecond?: number;
  itemExploration?: ItemExplorationSpec;
  enableMetadataWithRecommendations?: boolean;
  trainingDataConfig?: SolutionSpec['trainingDataConfig'];
  stopped?: boolean;
  protect?: boolean;
}

/** The use cases a recommender can have, per domain (personalize-facts.md section 4). */
export const DOMAIN_USE_CASES: Readonly<Record<Domain, readonly string[]>> = {
  ECOMMERCE: [
    'aws-ecomm-popular-items-by-views',
    'aws-ecomm-popular-items-by-purchases',
    'aws-ecomm-frequently-bought-together',
    'aws-ecomm-customers-who-viewed-x-also-viewed',
    'aws-ecomm-recommended-for-you',
  ],
  VIDEO_ON_DEMAND: ['aws-vod-because-you-watched-x', 'aws-vod-more-like-x', 'aws-vod-most-popular', 'aws-vod-trending-now', 'aws-vod-top-picks'],
};

/** The typed recommenders of one group; recipes as ARNs, defaults made explicit. */
export function buildRecommenders(groupKey: string, raw: Record<string, RawRecommender> | undefined, ctx: ManifestContext): { recommenders?: Record<string, RecommenderSpec> } {
  if (raw === undefined) return {};
  const out: Record<string, RecommenderSpec> = {};
  for (const [key, r] of Object.entries(raw)) {
    const recipe = recipeNameOf(r.recipe) ?? r.recipe;
    out[key] = {
      key,
      group: groupKey,
      ...(r.name === undefined ? {} : { name: r.name }),
      recipe,
      recipeArn: recipeArnOf(recipe),
      minRequestsPerSecond: r.minRequestsPerSecond ?? 1,
      ...(r.itemExploration === undefined ? {} : { itemExploration: r.itemExploration }),
      enableMetadataWithRecommendations: r.enableMetadataWithRecommendations ?? false,
      ...(r.trainingDataConfig === undefined ? {} : { trainingDataConfig: r.trainingDataConfig }),
      stopped: r.stopped ?? false,
      protect: r.protect ?? false,
      at: ctx.source.locateKey(['datasetGroups', groupKey, 'recommenders', key]),
    };
  }
  return { recommenders: out };
}

/**
 * What JSON Schema cannot say about recommenders: they belong to domain groups only, their recipe
 * is a use case of the group's domain (with a guess for a near miss), and their AWS name fits 63
 * characters. Reads the raw document defensively, like the other semantic checks.
 */
export function checkRecommenders(value: unknown, ctx: ManifestContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DocPath, onKey = false): ReturnType<typeof where> => where(ctx.source, path, onKey);
  const root = record(value) ?? {};
  const pocName = wellFormedPocName(root);
  for (const [groupKey, groupValue] of Object.entries(record(root['datasetGroups']) ?? {})) {
    const group = record(groupValue);
    const recommenders = record(group?.['recommenders']) ?? {};
    const domain = group?.['domain'] === 'ECOMMERCE' || group?.['domain'] === 'VIDEO_ON_DEMAND' ? group['domain'] : undefined;
    for (const [key, entry] of Object.entries(recommenders)) {
      const base = ['datasetGroups', groupKey, 'recommenders', key];
      if (domain === undefined) {
        out.push(
          error('recommender-in-custom-group', `recommender "${key}" is in dataset group "${groupKey}", which has no domain; recommenders exist only in domain dataset groups`, {
            ...at(base, true),
            hint: `add \`domain: ECOMMERCE\` or \`domain: VIDEO_ON_DEMAND\` to the group (a domain cannot be added to an existing group: it is replaced), or train a solution instead`,
          }),
        );
        continue;
      }
      const spec = record(entry) ?? {};
      out.push(...checkUseCase(spec['recipe'], domain, at([...base, 'recipe'])));
      const override = typeof spec['name'] === 'string' ? spec['name'] : undefined;
      const name = override ?? (pocName !== undefined && KEY.test(groupKey) && KEY.test(key) ? recommenderName(pocName, groupKey, key) : undefined);
      const problem = name === undefined ? undefined : checkName(name);
      if (name !== undefined && problem !== undefined) {
        const hint = override === undefined ? `shorten name "${pocName ?? ''}", the group key "${groupKey}" or the recommender key "${key}"` : `use 1-${MAX_NAME_LENGTH} letters, digits, hyphens and underscores, starting with a letter or digit`;
        const what = problem === 'too-long' ? `has ${name.length} characters; Personalize allows at most ${MAX_NAME_LENGTH}` : 'has characters Personalize refuses in a name';
        out.push(error(problem === 'too-long' ? 'name-too-long' : 'bad-name', `the recommender name "${name}" ${what}`, { ...at(override === undefined ? base : [...base, 'name'], override === undefined), hint }));
      }
    }
  }
  return out;
}

function checkUseCase(recipe: unknown, domain: Domain, location: ReturnType<typeof where>): Diagnostic[] {
  if (typeof recipe !== 'string' || recipe === '') return [];
  const name = recipeNameOf(recipe);
  const valid = DOMAIN_USE_CASES[domain];
  if (name !== undefined && valid.includes(name)) return [];
  const other = (Object.keys(DOMAIN_USE_CASES) as Domain[]).find((d) => d !== domain && name !== undefined && DOMAIN_USE_CASES[d].includes(name));
  const guess = other !== undefined || name === undefined ? undefined : closest(name, valid);
  const why = other !== undefined ? `is a ${other} use case, and this group's domain is ${domain}` : `is not a ${domain} use case${guess === undefined ? '' : `; did you mean "${guess}"?`}`;
  return [error('unknown-recipe', `recipe "${recipe}" ${why}`, { ...location, hint: `${domain} use cases: ${valid.join(', ')} (short name or arn:aws:personalize:::recipe/<name>)` })];
}
