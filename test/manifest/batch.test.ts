import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { parseManifest } from '../../src/manifest/index.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'manifest');

/** A manifest in `dir` whose group `main` has the given batch sections (indented under the group). */
function manifest(sections: string): string {
  return `version: 1
name: shop
region: us-east-1
schemas:
  interactions: ${join(FIXTURES, 'schemas', 'interactions.avsc')}
datasetGroups:
  main:
    datasets:
      interactions: { schema: interactions, data: ${join(FIXTURES, 'data', 'interactions.csv')} }
    solutions:
      personal: { recipe: aws-user-personalization }
      similar: { recipe: aws-sims }
      ranking: { recipe: aws-personalized-ranking }
      affinity: { recipe: aws-item-affinity }
    filters:
      not-bought: { expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")' }
${sections}`;
}

describe('batch jobs and metric attribution in poc.yaml', () => {
  let dir: string;
  const load = (sections: string) => parseManifest(manifest(sections), join(dir, 'poc.yaml'));
  const errors = async (sections: string): Promise<string[]> => (await load(sections)).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'poc-batch-manifest-'));
    writeFileSync(join(dir, 'users.jsonl'), '{"userId": "u1"}\n{"userId": "u2"}\n');
    writeFileSync(join(dir, 'items.jsonl'), '{"itemId": "i1"}\n');
    writeFileSync(join(dir, 'bad.jsonl'), '{"userId": "u1"}\n{"itemId": "i1"}\nnot json\n\n{"userId": 7}\n');
    writeFileSync(join(dir, 'rank.jsonl'), '{"userId": "u1", "itemList": ["i1", "i2"]}\n{"userId": "u2", "itemList": []}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('types jobs: local inputs hashed, outputs absolute, S3 inputs kept as written, metrics and defaults explicit', async () => {
    const result = await load(`    batchInferenceJobs:
      nightly: { solution: personal, input: users.jsonl, output: results/nightly, numResults: 25, filter: not-bought }
      similar: { solution: similar, input: 's3://bucket/in/items.jsonl', output: results/similar, name: custom-similar, protect: true }
    batchSegmentJobs:
      audiences: { solution: affinity, input: items.jsonl, output: results/audiences }
    metricAttribution:
      metrics: [ { name: revenue, eventType: buy, expression: 'SUM(Items.PRICE)' } ]
`);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    const group = result.manifest?.datasetGroups['main'];
    const sha = createHash('sha256').update('{"userId": "u1"}\n{"userId": "u2"}\n').digest('hex');
    expect(group?.batchInferenceJobs?.['nightly']).toMatchObject({
      type: 'inference',
      solution: 'personal',
      input: { kind: 'file', path: join(dir, 'users.jsonl'), asWritten: 'users.jsonl', sha256: sha },
      output: join(dir, 'results', 'nightly'),
      numResults: 25,
      filter: 'not-bought',
      protect: false,
    });
    expect(group?.batchInferenceJobs?.['similar']).toMatchObject({ input: { kind: 's3', uri: 's3://bucket/in/items.jsonl' }, name: 'custom-similar', protect: true });
    expect(group?.batchSegmentJobs?.['audiences']).toMatchObject({ type: 'segment', solution: 'affinity' });
    expect(group?.metricAttribution).toMatchObject({ metrics: [{ name: 'revenue', eventType: 'buy', expression: 'SUM(Items.PRICE)' }], protect: false });
    expect(group?.metricAttribution?.output).toBeUndefined();
  });

  it('reports each bad input line at its line in the input file, for the shape the recipe reads', async () => {
    const found = await errors(`    batchInferenceJobs:
      nightly: { solution: personal, input: bad.jsonl, output: out }
      ranked: { solution: ranking, input: rank.jsonl, output: out2 }
`);
    expect(found).toEqual([
      expect.stringMatching(/bad\.jsonl:2:1: .*line 2 needs a "userId" string/),
      expect.stringMatching(/bad\.jsonl:3:1: .*line 3 is not valid JSON/),
      expect.stringMatching(/bad\.jsonl:5:1: .*line 5 needs a "userId" string/),
      expect.stringMatching(/rank\.jsonl:2:1: .*line 2 needs an "itemList" array/),
    ]);
    // A related-items solution reads itemId lines: a file of users does not fit it.
    expect(await errors(`    batchInferenceJobs:\n      related: { solution: similar, input: users.jsonl, output: out }\n`)).toEqual([
      expect.stringMatching(/users\.jsonl:1:1: .*needs an "itemId" string/),
      expect.stringMatching(/users\.jsonl:2:1: .*needs an "itemId" string/),
    ]);
  });

  it('names unknown solutions and filters with a did-you-mean at their line, and a missing input file', async () => {
    const found = await errors(`    batchInferenceJobs:
      nightly: { solution: persnal, input: users.jsonl, output: out, filter: not-bougt }
      gone: { solution: personal, input: missing.jsonl, output: out2 }
`);
    expect(found).toEqual([
      expect.stringMatching(/poc\.yaml:18:\d+: .*solution "persnal".*did you mean "personal"\?/),
      expect.stringMatching(/poc\.yaml:18:\d+: .*filter "not-bougt".*did you mean "not-bought"\?/),
      expect.stringMatching(/poc\.yaml:19:\d+: .*batch input .*missing\.jsonl does not exist/),
    ]);
  });

  it('matches job types to recipes, keeps outputs local, bounds numResults and checks metric expressions', async () => {
    const found = await errors(`    batchInferenceJobs:
      wrong: { solution: affinity, input: items.jsonl, output: out }
      remote: { solution: personal, input: users.jsonl, output: 's3://bucket/out', numResults: 501 }
    batchSegmentJobs:
      seg: { solution: personal, input: users.jsonl, output: out3 }
    metricAttribution:
      metrics:
        - { name: revenue, eventType: buy, expression: 'AVG(Items.PRICE)' }
        - { name: revenue, eventType: click, expression: 'SAMPLECOUNT()' }
`);
    expect(found).toEqual([
      expect.stringMatching(/:18:\d+: .*aws-item-affinity makes user segments: declare the job under batchSegmentJobs/),
      expect.stringMatching(/:19:\d+: .*output is the local folder/),
      expect.stringMatching(/:19:\d+: .*numResults 501 is above 500/),
      expect.stringMatching(/:21:\d+: .*batch segment jobs need a USER_SEGMENTATION solution/),
      expect.stringMatching(/:24:\d+: .*metric expression "AVG\(Items.PRICE\)"/),
      expect.stringMatching(/:25:\d+: .*metric "revenue" is declared twice/),
    ]);
  });

  it('checks that generated job names leave room for the content hash and a retry suffix', async () => {
    const found = await errors(`    batchInferenceJobs:
      a-very-long-batch-job-key-that-goes-on-and-on-and-on: { solution: personal, input: users.jsonl, output: out }
`);
    expect(found).toEqual([expect.stringMatching(/batch job names reach \d+ characters/)]);
  });
});
