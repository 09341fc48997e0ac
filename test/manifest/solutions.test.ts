import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { parseManifest } from '../../src/manifest/index.ts';

/** A manifest beside the manifest fixtures (their schemas and data), with `tail` appended to the group `main`. */
function manifest(solutions: string, evaluation = '', name = 'shop'): string {
  return `version: 1
name: ${name}
region: us-east-1
schemas:
  interactions: schemas/interactions.avsc
  items: schemas/items.avsc
datasetGroups:
  main:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
      items: { schema: items, data: data/items.csv }
    solutions:
${solutions}
  plain:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
${evaluation}`;
}

const FILE = 'test/fixtures/manifest/solutions.yaml';
const load = (text: string) => parseManifest(text, FILE);
const errors = async (text: string): Promise<string[]> => (await load(text)).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('solutions and evaluation in poc.yaml', () => {
  it('types solutions: recipe ARNs, string hyperparameters, automatic training off unless asked, on-data-change by default', async () => {
    const result = await load(
      manifest(
        `      popular: { recipe: aws-popularity-count }
      personal:
        recipe: arn:aws:personalize:::recipe/aws-user-personalization-v2
        eventType: View
        eventValueThreshold: 0.5
        hpo: { resources: { maxNumberOfTrainingJobs: 4 } }
        algorithmHyperParameters: { hidden_dimension: 64 }
        autoTraining: true
        retrain: manual
        protect: true`,
        `evaluation:
  baseline: main.popular
  gates:
    - { solution: main.personal, metric: precision_at_10, beats: main.popular, by: 5 }
    - { solution: main.personal, metric: coverage, min: 0.1, name: wide enough }
`,
      ),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const solutions = result.manifest?.datasetGroups['main']?.solutions ?? {};
    expect(solutions['popular']).toMatchObject({ recipe: 'aws-popularity-count', recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', autoTraining: false, retrain: 'on-data-change', protect: false });
    expect(solutions['popular']?.autoTrainingSchedule).toBeUndefined();
    expect(solutions['personal']).toMatchObject({
      recipe: 'aws-user-personalization-v2',
      eventType: 'View',
      eventValueThreshold: '0.5',
      hpo: { resources: { maxNumberOfTrainingJobs: 4 } },
      algorithmHyperParameters: { hidden_dimension: '64' },
      autoTraining: true,
      autoTrainingSchedule: 'rate(7 days)',
      retrain: 'manual',
      protect: true,
    });
    expect(result.diagnostics.map((d) => d.code)).toContain('hpo-cost');
    expect(result.manifest?.evaluation).toMatchObject({
      baseline: 'main.popular',
      gates: [
        { kind: 'beats', name: 'main.personal beats main.popular on precision_at_10 by 5%', other: 'main.popular', byPercent: 5 },
        { kind: 'min', name: 'wide enough', metric: 'coverage', min: 0.1 },
      ],
    });
  });

  it('rejects an unknown recipe with a suggestion, and a domain use case with the reason', async () => {
    const out = await errors(manifest('      a: { recipe: aws-smis }\n      b: { recipe: aws-ecomm-recommended-for-you }\n      c: { recipe: "arn:aws:personalize:::recipe/nope" }'));
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/solutions\.yaml:13:\d+: error \[unknown-recipe\] recipe "aws-smis" is not a custom Personalize recipe; did you mean "aws-sims"\?/);
    expect(out[1]).toContain('is a domain use case; it serves recommenders');
    expect(out[2]).toContain('recipe "arn:aws:personalize:::recipe/nope" is not a custom Personalize recipe');
  });

  it('checks that gates and the baseline name declared solutions, with exactly one condition each', async () => {
    const out = await errors(
      manifest(
        '      popular: { recipe: aws-popularity-count }',
        `evaluation:
  baseline: main.populr
  gates:
    - { solution: plain.x, metric: precision_at_10, beats: main.popular }
    - { solution: main.popular, metric: precision_at_10, beats: main.popular, min: 0.1 }
    - { solution: main.popular, metric: precision_at_10, by: 3 }
    - { solution: main.popular, metric: precison_at_10, min: 0.1 }
`,
      ),
    );
    expect(out.join('\n')).toContain('"main.populr" is not a declared solution (<datasetGroup>.<solution>); did you mean "main.popular"?');
    expect(out.join('\n')).toContain('"plain.x" is not a declared solution');
    expect(out.filter((l) => l.includes('[gate-condition]'))).toHaveLength(4);
    expect(out.join('\n')).toMatch(/must be one of .*got string "precison_at_10"; did you mean "precision_at_10"\? \(at evaluation\.gates\.3\.metric\)/);
  });

  it('reports a solution name over 63 characters, and automatic training schedules out of range', async () => {
    const long = 'a'.repeat(40);
    const out = await errors(manifest(`      ${'s'.repeat(20)}: { recipe: aws-sims, autoTraining: { schedule: rate(45 days) } }`, '', long));
    expect(out.join('\n')).toContain(`the solution name "${long}-main-${'s'.repeat(20)}" has 66 characters; Personalize allows at most 63`);
    expect(out.join('\n')).toMatch(/autoTraining/);
  });

  it('needs an interactions dataset in a group with solutions', async () => {
    const text = manifest('      popular: { recipe: aws-popularity-count }').replace("      interactions: { schema: interactions, data: data/interactions.csv }\n      items:", '      items:');
    expect((await errors(text)).join('\n')).toContain('dataset group "main" declares solutions but no interactions dataset');
  });
});
