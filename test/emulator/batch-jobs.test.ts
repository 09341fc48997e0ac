import { GetObjectCommand, ListObjectsV2Command, CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateFilterCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  DescribeFilterCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListTagsForResourceCommand,
  type BatchInferenceJob,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, putObject, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { activeSolution, groupWithData, recipe, ROLE, train, type GroupData } from './personalize-solutions-helpers.ts';
import { INTERACTIONS_SCHEMA } from '../data/helpers.ts';

const SCHEMA = JSON.stringify(INTERACTIONS_SCHEMA);
const SETTLED = new Set(['ACTIVE', 'CREATE FAILED']);

/**
 * 60 users over 40 items; user uN clicks items around N and buys every fifth one it touches, so
 * each user has a known set of purchases a filter must remove.
 */
function shopData(): { data: GroupData; bought: Map<string, Set<string>> } {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const bought = new Map<string, Set<string>>();
  for (let i = 0; i < 2400; i += 1) {
    const user = `u${i % 60}`;
    const item = `i${(i % 60) % 40 + ((i * 7) % 5)}`;
    const type = i % 5 === 0 ? 'buy' : 'click';
    if (type === 'buy') bought.set(user, (bought.get(user) ?? new Set()).add(item));
    lines.push(`${user},${item},${1_700_000_000 + i},${type}`);
  }
  return { data: { Interactions: { schema: SCHEMA, csv: `${lines.join('\n')}\n` } }, bought };
}

interface OutLine {
  input: Record<string, unknown> | string;
  output: { recommendedItems?: string[]; scores?: number[]; recommendedUsers?: string[] } | null;
  error?: string | null;
}

describe('batch inference and batch segment jobs', () => {
  let h: Harness;
  let groupArn: string;
  let bought: Map<string, Set<string>>;
  const versions = new Map<string, string>();

  async function readOut(key: string): Promise<OutLine[]> {
    const out = await h.s3.send(new GetObjectCommand({ Bucket: 'batch', Key: key }));
    const text = (await out.Body?.transformToString()) ?? '';
    return text.trim().split('\n').map((l) => JSON.parse(l) as OutLine);
  }

  async function settledInference(arn: string): Promise<BatchInferenceJob> {
    const done = await waitFor(() => h.personalize.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: arn })), (r) => SETTLED.has(r.batchInferenceJob?.status ?? ''), 20_000);
    return done.batchInferenceJob ?? {};
  }

  const job = (name: string, recipeName: string, input: string, extra: { numResults?: number; filterArn?: string } = {}) =>
    h.personalize.send(
      new CreateBatchInferenceJobCommand({
        jobName: name,
        solutionVersionArn: versions.get(recipeName),
        jobInput: { s3DataSource: { path: `s3://batch/in/${input}` } },
        jobOutput: { s3DataDestination: { path: `s3://batch/out/${name}/` } },
        roleArn: ROLE,
        tags: [{ tagKey: 'poc:name', tagValue: 'shop' }],
        ...extra,
      }),
    );

  beforeAll(async () => {
    h = await startHarness();
    const shop = shopData();
    bought = shop.bought;
    groupArn = (await groupWithData(h.personalize, h.s3, 'shop', shop.data)).groupArn;
    for (const name of ['aws-user-personalization', 'aws-sims', 'aws-personalized-ranking', 'aws-item-affinity']) {
      const solutionArn = await activeSolution(h.personalize, { name: `shop-${name}`, datasetGroupArn: groupArn, recipeArn: recipe(name) });
      const version = await train(h.personalize, solutionArn, 30_000);
      expect(version.status, `${name}: ${version.failureReason ?? ''}`).toBe('ACTIVE');
      versions.set(name, version.solutionVersionArn ?? '');
    }
    await h.s3.send(new CreateBucketCommand({ Bucket: 'batch' })).catch(() => undefined);
    await putObject(h.s3, 'batch', 'in/users.jsonl', ['{"userId": "u1"}', '{"userId": "u2"}', 'not json', '{"itemId": "i3"}', ''].join('\n'));
  }, 120_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('runs a user-personalization job through PENDING to ACTIVE and writes <input>.out with one line per input line', async () => {
    const { batchInferenceJobArn = '' } = await job('shop-nightly', 'aws-user-personalization', 'users.jsonl', { numResults: 7 });
    expect(batchInferenceJobArn).toBe('arn:aws:personalize:us-east-1:000000000000:batch-inference-job/shop-nightly');
    const done = await settledInference(batchInferenceJobArn);
    expect(done).toMatchObject({ status: 'ACTIVE', jobName: 'shop-nightly', numResults: 7, roleArn: ROLE, batchInferenceJobMode: 'BATCH_INFERENCE', solutionVersionArn: versions.get('aws-user-personalization') });
    expect(done.jobInput?.s3DataSource?.path).toBe('s3://batch/in/users.jsonl');
    const listed = await h.s3.send(new ListObjectsV2Command({ Bucket: 'batch', Prefix: 'out/shop-nightly/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['out/shop-nightly/users.jsonl.out']);
    const lines = await readOut('out/shop-nightly/users.jsonl.out');
    expect(lines).toHaveLength(4);
    const [u1, u2, bad, wrong] = lines;
    expect(u1?.input).toEqual({ userId: 'u1' });
    expect(u1?.error).toBeNull();
    expect(u1?.output?.recommendedItems).toHaveLength(7);
    expect(u1?.output?.scores).toHaveLength(7);
    expect(new Set(u1?.output?.recommendedItems).size).toBe(7);
    // Scores come ordered, best first, as the service writes them.
    expect([...(u1?.output?.scores ?? [])].sort((a, b) => b - a)).toEqual(u1?.output?.scores);
    expect(u2?.output?.recommendedItems).not.toEqual(u1?.output?.recommendedItems);
    expect(bad).toMatchObject({ input: 'not json', output: null });
    expect(bad?.error).toContain('Line 3');
    expect(wrong).toMatchObject({ input: { itemId: 'i3' }, output: null });
    expect(wrong?.error).toContain('userId');
    const tags = await h.personalize.send(new ListTagsForResourceCommand({ resourceArn: batchInferenceJobArn }));
    expect(tags.tags).toEqual([{ tagKey: 'poc:name', tagValue: 'shop' }]);
    const list = await h.personalize.send(new ListBatchInferenceJobsCommand({ solutionVersionArn: versions.get('aws-user-personalization') }));
    expect(list.batchInferenceJobs?.map((j) => [j.jobName, j.status])).toEqual([['shop-nightly', 'ACTIVE']]);
  });

  it('honours a filter: no user gets back an item they bought', async () => {
    const { filterArn = '' } = await h.personalize.send(
      new CreateFilterCommand({ name: 'shop-not-bought', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")' }),
    );
    await waitFor(() => h.personalize.send(new DescribeFilterCommand({ filterArn })), (r) => r.filter?.status === 'ACTIVE');
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    await putObject(h.s3, 'batch', 'in/twenty.jsonl', users.map((u) => JSON.stringify({ userId: u })).join('\n'));
    const plain = await settledInference((await job('shop-plain', 'aws-user-personalization', 'twenty.jsonl', { numResults: 10 })).batchInferenceJobArn ?? '');
    const filtered = await settledInference((await job('shop-filtered', 'aws-user-personalization', 'twenty.jsonl', { numResults: 10, filterArn })).batchInferenceJobArn ?? '');
    expect([plain.status, filtered.status]).toEqual(['ACTIVE', 'ACTIVE']);
    expect(filtered.filterArn).toBe(filterArn);
    const before = await readOut('out/shop-plain/twenty.jsonl.out');
    const after = await readOut('out/shop-filtered/twenty.jsonl.out');
    // Without the filter, bought items do come back (repeat purchases score high): the filter has work to do.
    const boughtBefore = before.flatMap((l) => (l.output?.recommendedItems ?? []).filter((i) => bought.get((l.input as { userId: string }).userId)?.has(i)));
    expect(boughtBefore.length).toBeGreaterThan(0);
    for (const line of after) {
      const user = (line.input as { userId: string }).userId;
      expect(line.output?.recommendedItems, user).toHaveLength(10);
      for (const item of line.output?.recommendedItems ?? []) expect(bought.get(user)?.has(item), `${user} bought ${item}`).toBeFalsy();
    }
  });

  it('answers related-items and ranking inputs in their own shapes', async () => {
    await putObject(h.s3, 'batch', 'in/items.jsonl', '{"itemId": "i5"}\n{"userId": "u1"}\n');
    await putObject(h.s3, 'batch', 'in/rank.jsonl', '{"userId": "u1", "itemList": ["i1", "i30", "i2", "nope"]}\n{"userId": "u1"}\n');
    const sims = await settledInference((await job('shop-sims', 'aws-sims', 'items.jsonl', { numResults: 5 })).batchInferenceJobArn ?? '');
    const rank = await settledInference((await job('shop-rank', 'aws-personalized-ranking', 'rank.jsonl')).batchInferenceJobArn ?? '');
    expect([sims.status, rank.status]).toEqual(['ACTIVE', 'ACTIVE']);
    const [related, noItem] = await readOut('out/shop-sims/items.jsonl.out');
    expect(related?.output?.recommendedItems).toHaveLength(5);
    expect(related?.output?.recommendedItems).not.toContain('i5');
    expect(noItem?.error).toContain('itemId');
    const [ranked, noList] = await readOut('out/shop-rank/rank.jsonl.out');
    expect([...(ranked?.output?.recommendedItems ?? [])].sort()).toEqual(['i1', 'i2', 'i30', 'nope']);
    // An id the model never saw goes last, as GetPersonalizedRanking does.
    expect(ranked?.output?.recommendedItems?.[3]).toBe('nope');
    expect(noList?.error).toContain('itemList');
  });

  it('fails a job whose input it cannot read, with a failureReason', async () => {
    const missing = await settledInference((await job('shop-missing', 'aws-user-personalization', 'nothing-here.jsonl')).batchInferenceJobArn ?? '');
    expect(missing.status).toBe('CREATE FAILED');
    expect(missing.failureReason).toContain('s3://batch/in/nothing-here.jsonl');
    const out = await h.s3.send(new ListObjectsV2Command({ Bucket: 'batch', Prefix: 'out/shop-missing/' }));
    expect(out.Contents ?? []).toEqual([]);
  });

  it('refuses what the service refuses: a duplicate name, a segmentation version, a missing version or filter', async () => {
    expect((await errorOf(job('shop-nightly', 'aws-user-personalization', 'users.jsonl'))).name).toBe('ResourceAlreadyExistsException');
    const segmentation = await errorOf(job('shop-seg', 'aws-item-affinity', 'users.jsonl'));
    expect(segmentation.name).toBe('InvalidInputException');
    expect(segmentation.message).toContain('batch segment jobs');
    const noVersion = await errorOf(
      h.personalize.send(
        new CreateBatchInferenceJobCommand({
          jobName: 'shop-x',
          solutionVersionArn: `${versions.get('aws-sims') ?? ''}0`,
          jobInput: { s3DataSource: { path: 's3://batch/in/users.jsonl' } },
          jobOutput: { s3DataDestination: { path: 's3://batch/out/x/' } },
          roleArn: ROLE,
        }),
      ),
    );
    expect(noVersion.name).toBe('ResourceNotFoundException');
    const noFilter = await errorOf(job('shop-y', 'aws-user-personalization', 'users.jsonl', { filterArn: `${groupArn.replace('dataset-group', 'filter')}-none` }));
    expect(noFilter.name).toBe('ResourceNotFoundException');
  });

  it('runs an Item-Affinity segment job: the users most likely to take each item', async () => {
    await putObject(h.s3, 'batch', 'in/segment-items.jsonl', '{"itemId": "i3"}\n{"itemId": "i20"}\n{"itemAttributes": "ITEMS.GENRE = \\"x\\""}\n');
    const { batchSegmentJobArn = '' } = await h.personalize.send(
      new CreateBatchSegmentJobCommand({
        jobName: 'shop-audiences',
        solutionVersionArn: versions.get('aws-item-affinity'),
        jobInput: { s3DataSource: { path: 's3://batch/in/segment-items.jsonl' } },
        jobOutput: { s3DataDestination: { path: 's3://batch/out/audiences' } },
        roleArn: ROLE,
        numResults: 8,
      }),
    );
    const done = await waitFor(() => h.personalize.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn })), (r) => SETTLED.has(r.batchSegmentJob?.status ?? ''), 20_000);
    expect(done.batchSegmentJob).toMatchObject({ status: 'ACTIVE', jobName: 'shop-audiences', numResults: 8 });
    const [i3, i20, attributes] = await readOut('out/audiences/segment-items.jsonl.out');
    expect(i3).toEqual({ input: { itemId: 'i3' }, output: { recommendedUsers: expect.any(Array) } });
    expect(i3?.output?.recommendedUsers).toHaveLength(8);
    expect(i3?.output?.recommendedUsers).not.toEqual(i20?.output?.recommendedUsers);
    expect(attributes?.error).toContain('aws-item-attribute-affinity');
    const listed = await h.personalize.send(new ListBatchSegmentJobsCommand({ solutionVersionArn: versions.get('aws-item-affinity') }));
    expect(listed.batchSegmentJobs?.map((j) => j.jobName)).toEqual(['shop-audiences']);
    const wrongRecipe = await errorOf(
      h.personalize.send(
        new CreateBatchSegmentJobCommand({
          jobName: 'shop-audiences-2',
          solutionVersionArn: versions.get('aws-sims'),
          jobInput: { s3DataSource: { path: 's3://batch/in/segment-items.jsonl' } },
          jobOutput: { s3DataDestination: { path: 's3://batch/out/audiences' } },
          roleArn: ROLE,
        }),
      ),
    );
    expect(wrongRecipe.name).toBe('InvalidInputException');
  });
});
