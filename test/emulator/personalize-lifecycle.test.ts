import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSchemaCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListSchemasCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDatasetCommand,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, ITEMS_SCHEMA_V2, startHarness, waitFor, type Harness } from './personalize-helpers.ts';

const ACCOUNT = 'arn:aws:personalize:us-east-1:000000000000';

describe('Personalize control plane lifecycles (real SDK over HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  const describeGroup = (arn: string) => h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn }));
  const describeDataset = (arn: string) => h.personalize.send(new DescribeDatasetCommand({ datasetArn: arn }));

  it('creates a dataset group that becomes ACTIVE by itself, with ARN, dates and tags', async () => {
    const created = await h.personalize.send(
      new CreateDatasetGroupCommand({ name: 'movies', domain: 'VIDEO_ON_DEMAND', tags: [{ tagKey: 'poc:name', tagValue: 'movies' }] }),
    );
    expect(created.datasetGroupArn).toBe(`${ACCOUNT}:dataset-group/movies`);
    expect(created.domain).toBe('VIDEO_ON_DEMAND');
    const first = await describeGroup(`${ACCOUNT}:dataset-group/movies`);
    expect(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE']).toContain(first.datasetGroup?.status);
    expect(first.$metadata.requestId).toMatch(/[0-9a-f-]{36}/);
    // No further call is needed to move it on: wait without calling, then look once.
    await new Promise((r) => setTimeout(r, 50));
    const later = await describeGroup(`${ACCOUNT}:dataset-group/movies`);
    expect(later.datasetGroup).toMatchObject({ name: 'movies', status: 'ACTIVE', domain: 'VIDEO_ON_DEMAND' });
    expect(later.datasetGroup?.creationDateTime).toBeInstanceOf(Date);
    expect(Math.abs((later.datasetGroup?.creationDateTime?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    const tags = await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: created.datasetGroupArn }));
    expect(tags.tags).toEqual([{ tagKey: 'poc:name', tagValue: 'movies' }]);
  });

  it('refuses a second group with the same name', async () => {
    await activeGroup(h.personalize, 'dup');
    const err = await errorOf(h.personalize.send(new CreateDatasetGroupCommand({ name: 'dup' })));
    expect(err).toEqual({ name: 'ResourceAlreadyExistsException', message: `Another resource with Arn ${ACCOUNT}:dataset-group/dup already exists.` });
  });

  it('creates schemas synchronously and refuses invalid Avro', async () => {
    const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: 'lc-interactions', schema: INTERACTIONS_SCHEMA }));
    expect(schemaArn).toBe(`${ACCOUNT}:schema/lc-interactions`);
    const described = await h.personalize.send(new DescribeSchemaCommand({ schemaArn }));
    expect(described.schema).toMatchObject({ name: 'lc-interactions', schema: INTERACTIONS_SCHEMA });
    const listed = await h.personalize.send(new ListSchemasCommand({}));
    expect(listed.schemas?.map((s) => s.name)).toContain('lc-interactions');
    const bad = await errorOf(h.personalize.send(new CreateSchemaCommand({ name: 'bad', schema: '{"type":"record","name":"X","fields":[{"name":"A","type":{"type":"array"}}]}' })));
    expect(bad.name).toBe('InvalidInputException');
    expect(bad.message).toMatch(/unsupported type/);
    await expect(h.personalize.send(new DescribeSchemaCommand({ schemaArn: `${ACCOUNT}:schema/bad` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('runs datasets through create, update and delete with the dependency rules', async () => {
    const group = await activeGroup(h.personalize, 'shop');
    const interactionsSchema = (await h.personalize.send(new CreateSchemaCommand({ name: 'shop-interactions', schema: INTERACTIONS_SCHEMA }))).schemaArn ?? '';
    const itemsSchema = (await h.personalize.send(new CreateSchemaCommand({ name: 'shop-items', schema: ITEMS_SCHEMA }))).schemaArn ?? '';

    // datasetType is case-insensitive in and upper-case out; the ARN carries group and type.
    const { datasetArn } = await h.personalize.send(
      new CreateDatasetCommand({ name: 'shop-items-ds', datasetGroupArn: group, schemaArn: itemsSchema, datasetType: 'items' }),
    );
    expect(datasetArn).toBe(`${ACCOUNT}:dataset/shop/ITEMS`);
    const ds = await waitFor(() => describeDataset(datasetArn ?? ''), (r) => r.dataset?.status === 'ACTIVE');
    expect(ds.dataset).toMatchObject({ name: 'shop-items-ds', datasetType: 'ITEMS', datasetGroupArn: group, schemaArn: itemsSchema });

    // One dataset per type per group, whatever its name.
    const second = await errorOf(h.personalize.send(new CreateDatasetCommand({ name: 'other', datasetGroupArn: group, schemaArn: itemsSchema, datasetType: 'Items' })));
    expect(second.name).toBe('ResourceAlreadyExistsException');
    // A schema that does not fit the type, and an unknown type.
    expect((await errorOf(h.personalize.send(new CreateDatasetCommand({ name: 'x', datasetGroupArn: group, schemaArn: itemsSchema, datasetType: 'Interactions' })))).name).toBe('InvalidInputException');
    expect((await errorOf(h.personalize.send(new CreateDatasetCommand({ name: 'x', datasetGroupArn: group, schemaArn: itemsSchema, datasetType: 'Clicks' })))).name).toBe('InvalidInputException');

    const listed = await h.personalize.send(new ListDatasetsCommand({ datasetGroupArn: group }));
    expect(listed.datasets?.map((d) => d.datasetArn)).toEqual([datasetArn]);

    // UpdateDataset: Interactions refused, incompatible schema refused, compatible one applied.
    const { datasetArn: interactionsArn } = await h.personalize.send(
      new CreateDatasetCommand({ name: 'shop-int', datasetGroupArn: group, schemaArn: interactionsSchema, datasetType: 'Interactions' }),
    );
    await waitFor(() => describeDataset(interactionsArn ?? ''), (r) => r.dataset?.status === 'ACTIVE');
    expect((await errorOf(h.personalize.send(new UpdateDatasetCommand({ datasetArn: interactionsArn, schemaArn: interactionsSchema })))).name).toBe('InvalidInputException');
    const incompatible = (await h.personalize.send(
      new CreateSchemaCommand({ name: 'shop-items-bad', schema: ITEMS_SCHEMA_V2.replace('["null","float"]', '"float"') }),
    )).schemaArn;
    const notNullable = await errorOf(h.personalize.send(new UpdateDatasetCommand({ datasetArn, schemaArn: incompatible })));
    expect(notNullable).toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/PRICE must be nullable/) });
    const v2 = (await h.personalize.send(new CreateSchemaCommand({ name: 'shop-items-v2', schema: ITEMS_SCHEMA_V2 }))).schemaArn ?? '';
    const updated = await h.personalize.send(new UpdateDatasetCommand({ datasetArn, schemaArn: v2 }));
    expect(updated.datasetArn).toBe(datasetArn);
    const afterUpdate = await waitFor(() => describeDataset(datasetArn ?? ''), (r) => r.dataset?.latestDatasetUpdate?.status === 'ACTIVE');
    expect(afterUpdate.dataset).toMatchObject({ status: 'ACTIVE', schemaArn: v2, latestDatasetUpdate: { schemaArn: v2, status: 'ACTIVE' } });

    // A schema in use cannot go; the group cannot go while it has datasets.
    expect((await errorOf(h.personalize.send(new DeleteSchemaCommand({ schemaArn: v2 })))).name).toBe('ResourceInUseException');
    expect((await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group })))).name).toBe('ResourceInUseException');

    await h.personalize.send(new DeleteDatasetCommand({ datasetArn }));
    await h.personalize.send(new DeleteDatasetCommand({ datasetArn: interactionsArn }));
    await waitFor(() => errorOf(describeDataset(datasetArn ?? '')), (e) => e.name === 'ResourceNotFoundException');
    await waitFor(() => errorOf(describeDataset(interactionsArn ?? '')), (e) => e.name === 'ResourceNotFoundException');
    await h.personalize.send(new DeleteSchemaCommand({ schemaArn: v2 }));
    await expect(h.personalize.send(new DescribeSchemaCommand({ schemaArn: v2 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    await h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group }));
    const gone = await waitFor(() => errorOf(describeGroup(group)), (e) => e.name === 'ResourceNotFoundException');
    expect(gone.message).toContain(group);
    // The name is free again once the group is gone.
    expect((await h.personalize.send(new CreateDatasetGroupCommand({ name: 'shop' }))).datasetGroupArn).toBe(group);
  });

  it('tags and untags resources, and enforces the tag rules', async () => {
    const arn = await activeGroup(h.personalize, 'tagged');
    await h.personalize.send(new TagResourceCommand({ resourceArn: arn, tags: [{ tagKey: 'a', tagValue: '1' }, { tagKey: 'b', tagValue: '2' }] }));
    await h.personalize.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ tagKey: 'b', tagValue: '2' }]);
    const reserved = await errorOf(h.personalize.send(new TagResourceCommand({ resourceArn: arn, tags: [{ tagKey: 'aws:owner', tagValue: 'x' }] })));
    expect(reserved.name).toBe('InvalidInputException');
    const many = Array.from({ length: 50 }, (_, i) => ({ tagKey: `k${i}`, tagValue: 'v' }));
    const tooMany = await errorOf(h.personalize.send(new TagResourceCommand({ resourceArn: arn, tags: many })));
    expect(tooMany.name).toBe('TooManyTagsException');
    expect((await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toHaveLength(1);
    const missing = await errorOf(h.personalize.send(new ListTagsForResourceCommand({ resourceArn: `${ACCOUNT}:dataset-group/nope` })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('Personalize lifecycles with slow phases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ durations: { create: 60_000, delete: 60_000 } });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('needs an ACTIVE group for a dataset and refuses to delete a resource that is still being created', async () => {
    const { datasetGroupArn } = await h.personalize.send(new CreateDatasetGroupCommand({ name: 'slow' }));
    const described = await h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
    expect(described.datasetGroup?.status).toBe('CREATE PENDING');
    const { schemaArn } = await h.personalize.send(new CreateSchemaCommand({ name: 'slow-int', schema: INTERACTIONS_SCHEMA }));
    const early = await errorOf(h.personalize.send(new CreateDatasetCommand({ name: 'd', datasetGroupArn, schemaArn, datasetType: 'Interactions' })));
    expect(early.name).toBe('ResourceInUseException');
    const del = await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn })));
    expect(del).toMatchObject({ name: 'ResourceInUseException', message: expect.stringMatching(/CREATE PENDING/) });
    // The failed calls left nothing behind.
    expect((await h.personalize.send(new ListDatasetsCommand({}))).datasets).toEqual([]);
  });
});

describe('Personalize dataset updates with slow phases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ durations: { update: 60_000, delete: 60_000 } });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('shows UPDATE PENDING under UpdateDataset and refuses imports, updates and deletes meanwhile', async () => {
    const p = h.personalize;
    const datasetGroupArn = await activeGroup(p, 'upd');
    const v1 = (await p.send(new CreateSchemaCommand({ name: 'upd-v1', schema: ITEMS_SCHEMA }))).schemaArn ?? '';
    const v2 = (await p.send(new CreateSchemaCommand({ name: 'upd-v2', schema: ITEMS_SCHEMA_V2 }))).schemaArn ?? '';
    const { datasetArn } = await p.send(new CreateDatasetCommand({ name: 'upd-items', datasetGroupArn, schemaArn: v1, datasetType: 'ITEMS' }));
    await waitFor(() => p.send(new DescribeDatasetCommand({ datasetArn })), (r) => r.dataset?.status === 'ACTIVE');
    await p.send(new UpdateDatasetCommand({ datasetArn, schemaArn: v2 }));
    const updating = await p.send(new DescribeDatasetCommand({ datasetArn }));
    expect(updating.dataset).toMatchObject({ status: 'UPDATE PENDING', schemaArn: v1, latestDatasetUpdate: { schemaArn: v2, status: 'UPDATE PENDING' } });
    const importing = await errorOf(p.send(new CreateDatasetImportJobCommand({ jobName: 'during-update', datasetArn, dataSource: { dataLocation: 's3://b/items.csv' } })));
    expect(importing.name).toBe('ResourceInUseException');
    expect((await errorOf(p.send(new UpdateDatasetCommand({ datasetArn, schemaArn: v2 })))).name).toBe('ResourceInUseException');
    expect((await errorOf(p.send(new DeleteDatasetCommand({ datasetArn })))).name).toBe('ResourceInUseException');
    // Both schemas are in use while the update runs.
    expect((await errorOf(p.send(new DeleteSchemaCommand({ schemaArn: v2 })))).name).toBe('ResourceInUseException');
    expect((await p.send(new ListDatasetImportJobsCommand({ datasetArn }))).datasetImportJobs).toEqual([]);
  });

  it('refuses a second DeleteDatasetGroup while the first is pending', async () => {
    const datasetGroupArn = await activeGroup(h.personalize, 'twice');
    await h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    expect((await h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status).toBe('DELETE PENDING');
    expect((await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn })))).name).toBe('ResourceInUseException');
  });
});
