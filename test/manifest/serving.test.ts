import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { parseManifest } from '../../src/manifest/index.ts';

/** A manifest beside the manifest fixtures (their schemas and data), with `serving` added to the group `main`. */
function manifest(serving: string, name = 'shop'): string {
  return `version: 1
name: ${name}
region: us-east-1
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  main:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      personal: { recipe: aws-user-personalization-v2 }
      similar: { recipe: aws-sims }
${serving}`;
}

const FILE = 'test/fixtures/manifest/serving.yaml';
const load = (text: string) => parseManifest(text, FILE);
const errors = async (text: string): Promise<string[]> => (await load(text)).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('campaigns, filters and event trackers in poc.yaml', () => {
  it('types them with the service defaults made explicit', async () => {
    const result = await load(
      manifest(`    campaigns:
      personal: { solution: personal, itemExploration: { weight: 0.3, itemAgeCutOffDays: 30 } }
      similar: { solution: similar, minProvisionedTPS: 5, syncWithLatestSolutionVersion: true, name: console-campaign, protect: true }
    filters:
      not-purchased: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")' }
    eventTracker: {}`),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const group = result.manifest?.datasetGroups['main'];
    expect(group?.campaigns?.['personal']).toMatchObject({
      solution: 'personal',
      minProvisionedTPS: 1,
      itemExploration: { weight: 0.3, itemAgeCutOffDays: 30 },
      enableMetadataWithRecommendations: false,
      syncWithLatestSolutionVersion: false,
      protect: false,
    });
    expect(group?.campaigns?.['personal']?.name).toBeUndefined();
    expect(group?.campaigns?.['similar']).toMatchObject({ name: 'console-campaign', minProvisionedTPS: 5, syncWithLatestSolutionVersion: true, protect: true });
    expect(group?.filters?.['not-purchased']).toMatchObject({ expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")', protect: false });
    expect(group?.eventTracker).toMatchObject({ group: 'main', protect: false });
    // A group without these sections has none.
    expect((await load(manifest(''))).manifest?.datasetGroups['main']?.campaigns).toBeUndefined();
  });

  it('names an undeclared solution at its line, with a guess', async () => {
    const text = manifest(`    campaigns:
      personal: { solution: persnal }`);
    expect(await errors(text)).toEqual([
      `${FILE}:14:29: error [unknown-solution] campaign "personal" serves solution "persnal", which is not declared in dataset group "main"; did you mean "personal"? (at datasetGroups.main.campaigns.personal.solution)`,
    ]);
  });

  it('allows item exploration only with a User-Personalization recipe', async () => {
    const found = await errors(manifest(`    campaigns:
      similar: { solution: similar, itemExploration: { weight: 0.5 } }`));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('error [item-exploration-recipe] campaign "similar" sets itemExploration, but solution "similar" uses aws-sims');
  });

  it('checks a filter expression at validate time, pointing at the column of the problem', async () => {
    const text = manifest(`    filters:
      bad: { expression: 'EXCLUDE ItemID WHEN Interactions.EVENT_TYPE IN ("Purchase")' }
      worse:
        expression: >-
          INCLUDE Nothing`);
    const found = await errors(text);
    expect(found).toHaveLength(2);
    // 'EXCLUDE ItemID ' is 15 characters and the value's quote sits at column 26: WHEN is at 26 + 1 + 15.
    expect(found[0]).toMatch(new RegExp(`^${FILE}:14:42: error \\[filter-expression\\] filter "bad": `));
    // A folded block scalar is not written as parsed: the error points at the value itself.
    expect(found[1]).toMatch(new RegExp(`^${FILE}:16:21: error \\[filter-expression\\] filter "worse": `));
  });

  it('checks the length and form of every generated or given name, and the schema of each entry', async () => {
    const long = 'a'.repeat(40);
    const found = await errors(
      manifest(
        `    campaigns:
      ${long}: { solution: personal }
      ok: { solution: personal, name: 'bad name' }
    filters:
      ${long}: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")' }
    eventTracker: { name: tracker, colour: blue }`,
        'shop-with-a-long-name',
      ),
    );
    expect(found.some((e) => e.includes(`error [name-too-long] the campaign name "shop-with-a-long-name-main-${long}" has 67 characters`))).toBe(true);
    expect(found.some((e) => e.includes(`error [name-too-long] the filter name "shop-with-a-long-name-main-${long}"`))).toBe(true);
    expect(found.some((e) => e.includes('datasetGroups.main.campaigns.ok.name'))).toBe(true);
    expect(found.some((e) => e.includes('colour'))).toBe(true);
  });

  it('refuses minProvisionedTPS below 1 and a second tracker-like entry shape', async () => {
    const found = await errors(manifest(`    campaigns:
      personal: { solution: personal, minProvisionedTPS: 0 }
    eventTracker: [one, two]`));
    expect(found.some((e) => e.includes('minProvisionedTPS'))).toBe(true);
    expect(found.some((e) => e.includes('eventTracker'))).toBe(true);
  });
});
