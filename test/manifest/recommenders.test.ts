import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { parseManifest } from '../../src/manifest/index.ts';

/** A manifest beside examples/ecommerce (its ECOMMERCE schemas and data), with `recommenders` in group `shop`. */
function manifest(recommenders: string, options: { domain?: string; name?: string } = {}): string {
  return `version: 1
name: ${options.name ?? 'shop-poc'}
region: us-east-1
schemas:
  interactions: schemas/interactions.avsc
  items: schemas/items.avsc
datasetGroups:
  shop:
${options.domain === undefined ? '' : `    domain: ${options.domain}\n`}    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
      items: { schema: items, data: data/items.csv }
    recommenders:
${recommenders}
`;
}

const FILE = 'examples/ecommerce/recommenders-test.yaml';
const load = (text: string) => parseManifest(text, FILE);
const errors = async (text: string): Promise<string[]> => (await load(text)).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('recommenders in poc.yaml', () => {
  it('types recommenders: use cases as ARNs, defaults explicit, name override, stopped and protect', async () => {
    const result = await load(
      manifest(
        `      for-you: { recipe: aws-ecomm-recommended-for-you, minRequestsPerSecond: 2, itemExploration: { weight: 0.3, itemAgeCutOffDays: 30 }, enableMetadataWithRecommendations: true }
      viewed:
        recipe: arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed
        name: legacy-viewed
        trainingDataConfig: { excludedDatasetColumns: { ITEMS: [BRAND] } }
        stopped: true
        protect: true`,
        { domain: 'ECOMMERCE' },
      ),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const recommenders = result.manifest?.datasetGroups['shop']?.recommenders ?? {};
    expect(recommenders['for-you']).toMatchObject({
      key: 'for-you',
      group: 'shop',
      recipe: 'aws-ecomm-recommended-for-you',
      recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you',
      minRequestsPerSecond: 2,
      itemExploration: { weight: 0.3, itemAgeCutOffDays: 30 },
      enableMetadataWithRecommendations: true,
      stopped: false,
      protect: false,
    });
    expect(recommenders['for-you']?.name).toBeUndefined();
    expect(recommenders['viewed']).toMatchObject({
      name: 'legacy-viewed',
      recipe: 'aws-ecomm-customers-who-viewed-x-also-viewed',
      minRequestsPerSecond: 1,
      enableMetadataWithRecommendations: false,
      trainingDataConfig: { excludedDatasetColumns: { ITEMS: ['BRAND'] } },
      stopped: true,
      protect: true,
    });
  });

  it('refuses a recommender in a custom group, at its line, saying why', async () => {
    expect(await errors(manifest('      for-you: { recipe: aws-ecomm-recommended-for-you }'))).toEqual([
      `${FILE}:13:7: error [recommender-in-custom-group] recommender "for-you" is in dataset group "shop", which has no domain; recommenders exist only in domain dataset groups (at datasetGroups.shop.recommenders.for-you) Hint: add \`domain: ECOMMERCE\` or \`domain: VIDEO_ON_DEMAND\` to the group (a domain cannot be added to an existing group: it is replaced), or train a solution instead`,
    ]);
  });

  it('checks the recipe against the group domain, with a guess for a near miss', async () => {
    const [typo] = await errors(manifest('      for-you: { recipe: aws-ecomm-recomended-for-you }', { domain: 'ECOMMERCE' }));
    expect(typo).toContain(`${FILE}:14:26: error [unknown-recipe] recipe "aws-ecomm-recomended-for-you" is not a ECOMMERCE use case; did you mean "aws-ecomm-recommended-for-you"?`);
    const [vod] = await errors(manifest('      popular: { recipe: aws-vod-most-popular }', { domain: 'ECOMMERCE' }));
    expect(vod).toContain('recipe "aws-vod-most-popular" is a VIDEO_ON_DEMAND use case, and this group\'s domain is ECOMMERCE');
    const [custom] = await errors(manifest('      sims: { recipe: aws-sims }', { domain: 'ECOMMERCE' }));
    expect(custom).toContain('recipe "aws-sims" is not a ECOMMERCE use case');
  });

  it('rejects out-of-range configuration through the JSON Schema and over-long generated names', async () => {
    const range = await errors(manifest('      for-you: { recipe: aws-ecomm-recommended-for-you, minRequestsPerSecond: 0, itemExploration: { weight: 2 } }', { domain: 'ECOMMERCE' }));
    expect(range.some((e) => e.includes('minRequestsPerSecond'))).toBe(true);
    expect(range.some((e) => e.includes('weight'))).toBe(true);
    const key = 'k'.repeat(50);
    const [long] = await errors(manifest(`      ${key}: { recipe: aws-ecomm-recommended-for-you }`, { domain: 'ECOMMERCE' }));
    expect(long).toContain(`[name-too-long] the recommender name "shop-poc-shop-${key}" has 64 characters; Personalize allows at most 63`);
  });
});
