import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRecommenderCommand, DescribeRecommenderCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan } from '../../src/plan/types.ts';
import { runCli } from '../cli/harness.ts';
import { startHarness, waitFor, type Harness } from '../emulator/personalize-helpers.ts';
import { CONSOLE_INTERACTIONS_SCHEMA, consoleGroup, interactionsCsv } from './console-group.ts';

/** A domain (ECOMMERCE) group adopts with its domain on the group and, through it, on its schema. */
describe('poc import of a domain dataset group', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness();
    dir = mkdtempSync(join(tmpdir(), 'poc-adopt-domain-'));
    const { groupArn } = await consoleGroup(
      h.personalize,
      h.s3,
      'shop-ecommerce',
      [{ type: 'Interactions', name: 'shop-ecommerce-interactions', schemaName: 'ecommerce-interactions', schema: CONSOLE_INTERACTIONS_SCHEMA, csv: interactionsCsv(1200, 40), key: 'shop/interactions.csv' }],
      'ECOMMERCE',
    );
    const { recommenderArn } = await h.personalize.send(
      new CreateRecommenderCommand({ name: 'for-you', datasetGroupArn: groupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you', recommenderConfig: { minRecommendationRequestsPerSecond: 3 } }),
    );
    await waitFor(() => h.personalize.send(new DescribeRecommenderCommand({ recommenderArn })), (r) => r.recommender?.status === 'ACTIVE', 30_000);
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('keys the group by what follows the POC name, keeps the domain and the recommender as it bills, and plans only tags', async () => {
    const run = await runCli(['import', '--dataset-group', 'shop-ecommerce', '--name', 'shop', '--endpoint', h.emu.url], { cwd: dir });
    expect(run.code).toBe(0);
    const doc = parse(readFileSync(join(dir, 'poc.yaml'), 'utf8')) as { datasetGroups: Record<string, Record<string, unknown>> };
    // `shop-ecommerce` is the generated name of key `ecommerce` in POC `shop`: no name override needed.
    expect(Object.keys(doc.datasetGroups)).toEqual(['ecommerce']);
    expect(doc.datasetGroups['ecommerce']).toMatchObject({ domain: 'ECOMMERCE' });
    expect(doc.datasetGroups['ecommerce']?.['name']).toBeUndefined();
    expect(doc.datasetGroups['ecommerce']?.['recommenders']).toEqual({ 'for-you': { name: 'for-you', recipe: 'aws-ecomm-recommended-for-you', minRequestsPerSecond: 3 } });
    expect((doc.datasetGroups['ecommerce']?.['datasets'] as Record<string, Record<string, unknown>>)['interactions']?.['name']).toBeUndefined();

    const plan = await runCli(['plan', '--format', 'json', '--endpoint', h.emu.url], { cwd: dir });
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as Plan).changes.filter((c) => c.actions[0] !== 'no-op');
    expect(changes.map((c) => `${c.address} ${c.actions.join('/')} ${c.reasons.join(',')}`).sort()).toEqual([
      'datasetGroup.ecommerce update tags-changed',
      'datasetGroup.ecommerce.dataset.interactions update tags-changed',
      'datasetGroup.ecommerce.dataset.interactions.import update tags-changed',
      'datasetGroup.ecommerce.recommender.for-you update tags-changed',
    ]);
  });
});
