import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Solution } from '@aws-sdk/client-personalize';
import { describe, expect, it } from 'vitest';
import { draftManifest } from '../../src/adopt/draft.ts';
import { derivePocName, memberKeyFor } from '../../src/adopt/names.ts';
import { renderManifest } from '../../src/adopt/render.ts';
import type { GroupSnapshot, SolutionSnapshot } from '../../src/adopt/types.ts';
import { parseManifest } from '../../src/manifest/load.ts';
import { solutionProperties } from '../../src/resources/solution-config.ts';
import { solutionPropertiesOf } from '../../src/resources/solution.ts';
import { CONSOLE_INTERACTIONS_SCHEMA } from './console-group.ts';

const GROUP_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/Console';
const ROLE = 'arn:aws:iam::123456789012:role/Console';

function solution(name: string, extra: Partial<Solution> = {}): SolutionSnapshot {
  return {
    solution: { name, solutionArn: `arn:aws:personalize:us-east-1:123456789012:solution/${name}`, datasetGroupArn: GROUP_ARN, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization-v2', status: 'ACTIVE', ...extra },
    versions: [{ solutionVersionArn: `arn:aws:personalize:us-east-1:123456789012:solution/${name}/abcd1234`, status: 'ACTIVE', trainingType: 'MANUAL' }],
  };
}

/** A console group as read: one interactions dataset imported from an object, and what is passed in. */
function snapshot(over: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {
    group: { name: 'Console', datasetGroupArn: GROUP_ARN, status: 'ACTIVE' },
    datasets: [
      {
        key: 'interactions',
        dataset: { name: 'console-interactions', datasetArn: `${GROUP_ARN.replace('dataset-group', 'dataset')}/INTERACTIONS`, schemaArn: 'arn:aws:personalize:us-east-1:123456789012:schema/console-schema' },
        schema: { name: 'console-schema', schema: CONSOLE_INTERACTIONS_SCHEMA },
        source: { jobName: 'console-import', status: 'ACTIVE', dataSource: { dataLocation: 's3://console-bucket/in/interactions.csv' }, roleArn: ROLE, importMode: 'FULL' },
      },
    ],
    solutions: [],
    campaigns: [],
    filters: [],
    eventTrackers: [],
    recommenders: [],
    others: {},
    ...over,
  };
}

/** Writes what a draft refers to (schema files, a header-only data file) and loads its poc.yaml. */
async function loadDraft(snap: GroupSnapshot): Promise<Awaited<ReturnType<typeof parseManifest>>> {
  const draft = draftManifest(snap, { pocName: 'shop', region: 'us-east-1' });
  const dir = mkdtempSync(join(tmpdir(), 'poc-draft-'));
  for (const f of [...draft.schemaFiles.map((s) => ({ path: s.path, body: s.body })), ...draft.dataFiles.map((d) => ({ path: d.path, body: 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n' }))]) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.body);
  }
  return parseManifest(renderManifest(draft, 'test'), join(dir, 'poc.yaml'));
}

describe('poc import names', () => {
  it('derives a POC name from a console name', () => {
    expect(derivePocName('My_Retail POC')).toBe('my-retail-poc');
    expect(derivePocName('2024-test')).toBe('poc-2024-test');
    expect(derivePocName('___')).toBe('adopted');
    const long = derivePocName('a-very-long-console-dataset-group-name-for-the-demo');
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).not.toMatch(/-$/);
  });

  it('keys a member by its name without the group prefix, sanitised, unique and short enough', () => {
    expect(memberKeyFor('shop', 'main', 'Console', 'Console-sims', new Set())).toBe('sims');
    expect(memberKeyFor('shop', 'main', 'Console', 'shop-main-sims', new Set())).toBe('sims');
    expect(memberKeyFor('shop', 'main', 'Console', 'sims', new Set(['sims']))).toBe('sims-2');
    expect(memberKeyFor('shop', 'main', 'Console', '_my.sims', new Set())).toBe('my-sims');
    expect(`shop-main-${memberKeyFor('shop', 'main', 'Console', 'x'.repeat(63), new Set())}`.length).toBe(63);
  });
});

describe('poc import solutions', () => {
  it('describe HPO, hyperparameters, columns and the service-default automatic training so the plan sees the same settings', async () => {
    const s = solution('tuned', {
      eventType: 'click',
      performHPO: true,
      solutionConfig: {
        eventValueThreshold: '0.5',
        hpoConfig: {
          hpoObjective: { type: 'Maximize', metricName: 'precision_at_10' },
          hpoResourceConfig: { maxNumberOfTrainingJobs: '8', maxParallelTrainingJobs: '2' },
          algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'bptt', minValue: 2, maxValue: 32 }] },
        },
        algorithmHyperParameters: { hidden_dimension: '64' },
        trainingDataConfig: { excludedDatasetColumns: { INTERACTIONS: ['EVENT_TYPE'] } },
      },
    });
    const { manifest, diagnostics } = await loadDraft(snapshot({ solutions: [s] }));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const spec = manifest?.datasetGroups['main']?.solutions?.['tuned'];
    if (spec === undefined) throw new Error('solution not adopted');
    expect(spec.retrain).toBe('manual');
    // performAutoTraining absent means on (the service's default): adoption keeps it on.
    const { datasetGroup: _group, ...observed } = solutionPropertiesOf(s.solution);
    expect(solutionProperties(spec)).toEqual(observed);
  });

  it('leaves out an AutoML solution and a domain recipe with a warning and a comment, and warns when nothing is trained yet', () => {
    const untrained = { ...solution('fresh', { performAutoTraining: false }), versions: [] };
    const draft = draftManifest(
      snapshot({ solutions: [solution('auto', { performAutoML: true, recipeArn: undefined }), solution('ecomm', { recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you' }), untrained] }),
      { pocName: 'shop', region: 'us-east-1' },
    );
    expect(draft.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning solution-not-adopted', 'warning solution-not-adopted', 'warning solution-not-trained']);
    const text = renderManifest(draft, 'test');
    // Comments are wrapped; read them as one line each.
    const comments = text.replace(/\n# (?!Not adopted)/g, ' ');
    expect(comments).toMatch(/^# Not adopted: solution "auto" uses AutoML/m);
    expect(comments).toMatch(/^# Not adopted: solution "ecomm" uses recipe arn:aws:personalize:::recipe\/aws-ecomm-recommended-for-you, which is not a custom recipe/m);
    expect(Object.keys((draft.value['datasetGroups'] as Record<string, { solutions: object }>)['main']?.solutions ?? {})).toEqual(['fresh']);
  });
});

describe('poc import drafts', () => {
  it('reports kinds it does not adopt, and a campaign whose solution was left out, by name', () => {
    const draft = draftManifest(
      snapshot({
        solutions: [solution('auto', { performAutoML: true, recipeArn: undefined })],
        campaigns: [{ name: 'auto-campaign', solutionVersionArn: 'arn:aws:personalize:us-east-1:123456789012:solution/auto/abcd1234' }],
        others: { 'metric attribution': ['console-metrics'] },
      }),
      { pocName: 'shop', region: 'us-east-1' },
    );
    const text = renderManifest(draft, 'test');
    expect(draft.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['campaign-not-adopted', 'kind-not-adopted']));
    expect(text).toMatch(/^# Not adopted: campaign "auto-campaign"/m);
    expect(text).toMatch(/^# Not adopted: metric attributions console-metrics/m);
  });

  it('refuses a POC name the manifest would refuse, and a group that is not ACTIVE', () => {
    expect(draftManifest(snapshot(), { pocName: 'Shop!', region: 'us-east-1' }).diagnostics.map((d) => d.code)).toEqual(['invalid-poc-name']);
    expect(draftManifest(snapshot({ group: { name: 'Console', status: 'CREATE PENDING' } }), { region: 'us-east-1' }).diagnostics.map((d) => d.code)).toEqual(['dataset-group-not-active']);
  });

  it('keeps the group\'s own KMS key and writes the same bytes for the same group', () => {
    const snap = snapshot({ group: { name: 'Console', datasetGroupArn: GROUP_ARN, status: 'ACTIVE', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1' } });
    const a = renderManifest(draftManifest(snap, { pocName: 'shop', region: 'us-east-1' }), 'test');
    expect(a).toContain('kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/k1');
    expect(renderManifest(draftManifest(snap, { pocName: 'shop', region: 'us-east-1' }), 'test')).toBe(a);
  });
});
