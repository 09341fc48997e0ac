import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
  type DatasetImportJob,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatasetRows } from '../../src/emulator/personalize/index.ts';
import { activeGroup, errorOf, interactionsCsv, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, putObject, startHarness, waitFor, type Harness } from './personalize-helpers.ts';

async function setUpDatasets(p: PersonalizeClient, group: string): Promise<{ interactions: string; items: string }> {
  const datasetGroupArn = await activeGroup(p, group);
  const intSchema = (await p.send(new CreateSchemaCommand({ name: `${group}-int`, schema: INTERACTIONS_SCHEMA }))).schemaArn;
  const itemSchema = (await p.send(new CreateSchemaCommand({ name: `${group}-items`, schema: ITEMS_SCHEMA }))).schemaArn;
  const interactions = (await p.send(new CreateDatasetCommand({ name: `${group}-int`, datasetGroupArn, schemaArn: intSchema, datasetType: 'Interactions' }))).datasetArn ?? '';
  const items = (await p.send(new CreateDatasetCommand({ name: `${group}-items`, datasetGroupArn, schemaArn: itemSchema, datasetType: 'Items' }))).datasetArn ?? '';
  for (const arn of [interactions, items]) await waitFor(() => p.send(new DescribeDatasetCommand({ datasetArn: arn })), (r) => r.dataset?.status === 'ACTIVE');
  return { interactions, items };
}

async function collect(stateDir: string, datasetArn: string): Promise<{ columns: readonly string[]; rows: (readonly string[])[] }> {
  const data = openDatasetRows(stateDir, datasetArn);
  if (data === undefined) throw new Error('no data');
  const rows: (readonly string[])[] = [];
  for await (const row of data.records()) rows.push(row);
  expect(rows).toHaveLength(data.rowCount);
  return { columns: data.columns, rows };
}

describe('Personalize dataset import jobs', () => {
  let h: Harness;
  let ds: { interactions: string; items: string };
  let jobs = 0;

  async function importJob(datasetArn: string, dataLocation: string, importMode?: 'FULL' | 'INCREMENTAL'): Promise<DatasetImportJob> {
    jobs += 1;
    const { datasetImportJobArn } = await h.personalize.send(
      new CreateDatasetImportJobCommand({ jobName: `job-${jobs}`, datasetArn, dataSource: { dataLocation }, roleArn: 'arn:aws:iam::000000000000:role/poc', ...(importMode ? { importMode } : {}) }),
    );
    const done = await waitFor(
      () => h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED',
    );
    return done.datasetImportJob ?? {};
  }

  beforeAll(async () => {
    h = await startHarness();
    ds = await setUpDatasets(h.personalize, 'imports');
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('imports interactions from one object, then appends with INCREMENTAL', async () => {
    await putObject(h.s3, 'data', 'int/full.csv', interactionsCsv(1200));
    const job = await importJob(ds.interactions, 's3://data/int/full.csv');
    expect(job).toMatchObject({ status: 'ACTIVE', importMode: 'FULL', datasetArn: ds.interactions, dataSource: { dataLocation: 's3://data/int/full.csv' } });
    expect(job.failureReason).toBeUndefined();
    const full = await collect(h.stateDir, ds.interactions);
    expect(full.columns).toEqual(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE']);
    expect(full.rows).toHaveLength(1200);
    expect(full.rows[0]).toEqual(['u0', 'i0', '1700000000', 'click']);

    // Columns in another order, EVENT_TYPE (nullable) left out entirely.
    const reordered = ['TIMESTAMP,ITEM_ID,USER_ID', ...Array.from({ length: 1000 }, (_, i) => `${1_800_000_000 + i},j${i},v${i}`)].join('\n');
    await putObject(h.s3, 'data', 'int/more.csv', reordered);
    expect((await importJob(ds.interactions, 's3://data/int/more.csv', 'INCREMENTAL')).status).toBe('ACTIVE');
    const appended = await collect(h.stateDir, ds.interactions);
    expect(appended.rows).toHaveLength(2200);
    expect(appended.rows[1200]).toEqual(['v0', 'j0', '1800000000', '']);

    const listed = await h.personalize.send(new ListDatasetImportJobsCommand({ datasetArn: ds.interactions }));
    expect(listed.datasetImportJobs?.map((j) => [j.status, j.importMode])).toEqual([['ACTIVE', 'FULL'], ['ACTIVE', 'INCREMENTAL']]);
  });

  it('imports every object under a prefix', async () => {
    await putObject(h.s3, 'data', 'folder/a.csv', interactionsCsv(600));
    await putObject(h.s3, 'data', 'folder/b.csv', interactionsCsv(600));
    expect((await importJob(ds.interactions, 's3://data/folder/')).status).toBe('ACTIVE');
    expect((await collect(h.stateDir, ds.interactions)).rows).toHaveLength(1200);
  });

  it('replaces items by ITEM_ID on INCREMENTAL and refuses INCREMENTAL before any bulk import', async () => {
    await putObject(h.s3, 'data', 'items/v1.csv', 'ITEM_ID,GENRE\ni1,drama\ni2,comedy\ni3,"action|thriller, dark"\n');
    const refused = await errorOf(
      h.personalize.send(new CreateDatasetImportJobCommand({ jobName: 'too-early', datasetArn: ds.items, dataSource: { dataLocation: 's3://data/items/v1.csv' }, importMode: 'INCREMENTAL' })),
    );
    expect(refused.name).toBe('InvalidInputException');
    expect((await importJob(ds.items, 's3://data/items/v1.csv', 'FULL')).status).toBe('ACTIVE');
    await putObject(h.s3, 'data', 'items/v2.csv', 'ITEM_ID,GENRE\ni2,horror\ni4,news\n');
    expect((await importJob(ds.items, 's3://data/items/v2.csv', 'INCREMENTAL')).status).toBe('ACTIVE');
    const { rows } = await collect(h.stateDir, ds.items);
    expect(rows).toEqual([['i1', 'drama'], ['i3', 'action|thriller, dark'], ['i2', 'horror'], ['i4', 'news']]);
    // FULL replaces everything.
    await putObject(h.s3, 'data', 'items/v3.csv', 'ITEM_ID,GENRE\ni9,kids\n');
    expect((await importJob(ds.items, 's3://data/items/v3.csv')).status).toBe('ACTIVE');
    expect((await collect(h.stateDir, ds.items)).rows).toEqual([['i9', 'kids']]);
  });

  it('fails imports with the service-style reason and leaves the data unchanged', async () => {
    const before = (await collect(h.stateDir, ds.interactions)).rows.length;
    await putObject(h.s3, 'data', 'bad/missing.csv', interactionsCsv(1200, 'USER_ID,ITEM_ID,EVENT_TYPE').replace(/,\d+,/g, ','));
    expect(await importJob(ds.interactions, 's3://data/bad/missing.csv')).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Input CSV is missing the following columns:[TIMESTAMP].' });

    await putObject(h.s3, 'data', 'bad/type.csv', `${interactionsCsv(1200)}u1,i1,yesterday,click\n`);
    const badType = await importJob(ds.interactions, 's3://data/bad/type.csv');
    expect(badType.status).toBe('CREATE FAILED');
    expect(badType.failureReason).toBe('Line 1202 of s3://data/bad/type.csv, column TIMESTAMP: "yesterday" is not a valid long.');

    await putObject(h.s3, 'data', 'bad/few.csv', interactionsCsv(999));
    expect((await importJob(ds.interactions, 's3://data/bad/few.csv')).failureReason).toBe('Import data has 999 interaction records; an import needs at least 1000.');

    await putObject(h.s3, 'data', 'bad/empty-id.csv', `${interactionsCsv(1200)},i1,1700000000,click\n`);
    expect((await importJob(ds.interactions, 's3://data/bad/empty-id.csv')).failureReason).toMatch(/column USER_ID: a value is required/);

    await putObject(h.s3, 'data', 'bad/long-id.csv', `${interactionsCsv(1200)}${'u'.repeat(257)},i1,1700000000,click\n`);
    expect((await importJob(ds.interactions, 's3://data/bad/long-id.csv')).failureReason).toMatch(/column USER_ID: the value is 257 characters long; the limit is 256/);

    await putObject(h.s3, 'data', 'bad/categorical.csv', `ITEM_ID,GENRE\ni1,${'g'.repeat(1001)}\n`);
    expect((await importJob(ds.items, 's3://data/bad/categorical.csv')).failureReason).toMatch(/column GENRE: the value is 1001 characters long; the limit is 1000/);

    for (const location of ['s3://data/nothing-here.csv', 's3://no-such-bucket/x.csv', 's3://data/empty-folder/', 'https://example.com/x.csv']) {
      expect(await importJob(ds.interactions, location)).toMatchObject({ status: 'CREATE FAILED', failureReason: 'Invalid Data location.' });
    }
    expect((await collect(h.stateDir, ds.interactions)).rows).toHaveLength(before);
  });
});

describe('Personalize import jobs in flight', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ durations: { import: 60_000 } });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('allows at most 5 pending or running imports per region and protects their dataset', async () => {
    const ds = await setUpDatasets(h.personalize, 'busy');
    await putObject(h.s3, 'data', 'x.csv', interactionsCsv(1000));
    for (let i = 0; i < 5; i += 1) {
      await h.personalize.send(new CreateDatasetImportJobCommand({ jobName: `busy-${i}`, datasetArn: ds.interactions, dataSource: { dataLocation: 's3://data/x.csv' } }));
    }
    const sixth = await errorOf(h.personalize.send(new CreateDatasetImportJobCommand({ jobName: 'busy-6', datasetArn: ds.interactions, dataSource: { dataLocation: 's3://data/x.csv' } })));
    expect(sixth).toEqual({ name: 'LimitExceededException', message: 'More than 5 resources with PENDING or IN_PROGRESS status.' });
    const del = await errorOf(h.personalize.send(new DeleteDatasetCommand({ datasetArn: ds.interactions })));
    expect(del.name).toBe('ResourceInUseException');
    const job = await h.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-import-job/busy-0' }));
    expect(job.datasetImportJob?.status).toBe('CREATE IN_PROGRESS');
    // The items dataset is idle: it can go.
    await h.personalize.send(new DeleteDatasetCommand({ datasetArn: ds.items }));
  });
});
