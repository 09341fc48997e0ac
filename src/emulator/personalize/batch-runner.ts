import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { deserializeModel, type Model, type Recommendation } from '../../engine/index.ts';
import type { ObjectReader } from '../context.ts';
import { FilterDataCache } from '../runtime/filter-data.ts';
import { splitS3Path, type BatchJobAttrs, type BatchKind, BATCH_SEGMENT_JOB } from './batch-shapes.ts';
import { batchFilterFor, type BatchFilter, type LineFilter } from './batch-filter.ts';
import { readDataFile } from './data-store.ts';
import { DATASET, type DatasetAttrs } from './datasets.ts';
import type { WorkResult } from './lifecycle.ts';
import { RECIPES, type RecipeType } from './recipes.ts';
import { firstPassing } from './serving-model.ts';
import { SOLUTION_VERSION, type SolutionVersionAttrs } from './solution-types.ts';
import type { ResourceRecord, Store } from './store.ts';

/** numResults when the request leaves it out (the API reference's default for batch inference). */
export const DEFAULT_NUM_RESULTS = 25;

/** Ends a run with a failureReason. */
class BatchFailure extends Error {}

/**
 * Scoring runs on the emulator's event loop (the example's 1,292 users take about 0.4 s), so it
 * gives other requests a turn every this many lines or users.
 */
const YIELD_EVERY = 200;

async function breathe(signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}

/** One output line, in the service's shape: `output` is null exactly when `error` is set. */
interface OutputLine {
  readonly input: unknown;
  readonly output: Record<string, unknown> | null;
  readonly error: string | null;
}

type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const failed = (input: unknown, error: string): OutputLine => ({ input, output: null, error });

/** The lines of a JSON Lines text, parsed; a line that is not a JSON object is its own error. */
function parseLines(text: string): { readonly input: unknown; readonly problem?: string }[] {
  const out: { input: unknown; problem?: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      out.push(isRecord(value) ? { input: value } : { input: line, problem: `Line ${i + 1} is not a JSON object.` });
    } catch {
      out.push({ input: line, problem: `Line ${i + 1} is not valid JSON.` });
    }
  });
  return out;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const scoresOf = (recs: readonly Recommendation[]): number[] => recs.map((r) => Number(r.score.toFixed(7)));

/**
 * Runs batch inference and batch segment jobs: reads every object under the job's input path
 * through the emulator's S3, answers each JSON line with the version's trained model, and writes
 * `<input file name>.out` under the output path, one output line per input line. A line the
 * model cannot answer gets an `error` of its own, as the service does; an input it cannot read at
 * all fails the job.
 */
export class BatchRunner {
  private readonly filterData: FilterDataCache;

  constructor(
    private readonly store: Store,
    private readonly objects: ObjectReader,
  ) {
    this.filterData = new FilterDataCache(store.dir);
  }

  async run(kind: BatchKind, job: ResourceRecord<BatchJobAttrs>, signal: AbortSignal): Promise<WorkResult> {
    try {
      await this.execute(kind, job, signal);
      return { status: 'ACTIVE' };
    } catch (err) {
      if (err instanceof BatchFailure) return { status: 'CREATE FAILED', failureReason: err.message };
      throw err;
    }
  }

  private async execute(kind: BatchKind, job: ResourceRecord<BatchJobAttrs>, signal: AbortSignal): Promise<void> {
    const { attrs } = job;
    const version = this.store.find<SolutionVersionAttrs>(SOLUTION_VERSION, attrs.solutionVersionArn);
    const modelFile = version?.attrs.artifacts?.model;
    if (version === undefined || modelFile === undefined) throw new BatchFailure(`Solution version ${attrs.solutionVersionArn} has no trained model.`);
    const loaded = deserializeModel(await readFile(join(this.store.dir, modelFile)));
    if (!loaded.ok) throw new BatchFailure(loaded.failure.message);
    const recipeType = RECIPES.find((r) => r.name === version.attrs.recipeName)?.recipeType ?? 'USER_PERSONALIZATION';
    const input = splitS3Path(attrs.input.path);
    const output = splitS3Path(attrs.output.path);
    if (input === undefined || output === undefined) throw new BatchFailure('The emulator reads and writes batch data only at s3:// paths.');
    const keys = this.objects.listKeys(input.bucket, input.prefix)?.filter((k) => !k.endsWith('/'));
    if (keys === undefined) throw new BatchFailure(`Input bucket ${input.bucket} does not exist.`);
    if (keys.length === 0) throw new BatchFailure(`No input files found at ${attrs.input.path}.`);
    if (!this.objects.bucketExists(output.bucket)) throw new BatchFailure(`Output bucket ${output.bucket} does not exist.`);
    const filter = attrs.filterArn === undefined ? undefined : await batchFilterFor(this.store, this.filterData, attrs.filterArn, version.attrs.datasetGroupArn);
    if (typeof filter === 'string') throw new BatchFailure(filter);
    const k = attrs.numResults ?? DEFAULT_NUM_RESULTS;
    const outPrefix = output.prefix === '' || output.prefix.endsWith('/') ? output.prefix : `${output.prefix}/`;
    for (const key of keys) {
      signal.throwIfAborted();
      const stream = this.objects.openObject(input.bucket, key);
      if (stream === undefined) throw new BatchFailure(`Input file s3://${input.bucket}/${key} could not be read.`);
      const lines = parseLines(await readAll(stream));
      const answered: OutputLine[] = [];
      if (kind === BATCH_SEGMENT_JOB) answered.push(...(await this.segments(lines, loaded.value, version.attrs.datasetGroupArn, k, filter, signal)));
      else {
        for (const [i, l] of lines.entries()) {
          if (i % YIELD_EVERY === YIELD_EVERY - 1) await breathe(signal);
          answered.push(l.problem === undefined ? answer(recipeType, loaded.value, l.input as JsonRecord, k, filter) : failed(l.input, l.problem));
        }
      }
      // Segment lines carry no `error` member unless they failed (the service's output examples).
      const shaped = answered.map((l) => (kind === BATCH_SEGMENT_JOB && l.error === null ? { input: l.input, output: l.output } : l));
      const body = Buffer.from(shaped.map((l) => JSON.stringify(l)).join('\n') + (shaped.length > 0 ? '\n' : ''), 'utf8');
      if (this.objects.writeObject?.(output.bucket, `${outPrefix}${basename(key)}.out`, body, 'application/json') !== true) {
        throw new BatchFailure(`Output bucket ${output.bucket} does not exist.`);
      }
    }
  }

  /**
   * Item-Affinity: for each input item, the users most likely to interact with it. Every user of
   * the group's interactions is scored once against all the input items (one model pass per user
   * instead of one per user and item), keeping the best `k` per item.
   */
  private async segments(lines: readonly { input: unknown; problem?: string }[], model: Model, groupArn: string, k: number, filter: BatchFilter | undefined, signal: AbortSignal): Promise<OutputLine[]> {
    const items: string[] = [];
    for (const line of lines) {
      const itemId = isRecord(line.input) ? line.input['itemId'] : undefined;
      if (line.problem === undefined && typeof itemId === 'string' && itemId !== '') items.push(itemId);
    }
    const best = new Map<string, { user: string; score: number }[]>(items.map((i) => [i, []]));
    const users = filter?.forLine({});
    if (users?.ok === false) throw new BatchFailure(users.message);
    if (items.length > 0) {
      for (const [i, user] of (await this.usersOf(groupArn)).entries()) {
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await breathe(signal);
        if (users !== undefined && !users.keep(user)) continue;
        for (const rec of model.rank(user, items)) best.get(rec.itemId)?.push({ user, score: rec.score });
      }
    }
    return lines.map((line) => {
      if (line.problem !== undefined) return failed(line.input, line.problem);
      const record = line.input as JsonRecord;
      if (record['itemAttributes'] !== undefined) return failed(record, 'itemAttributes input needs a solution version trained with aws-item-attribute-affinity.');
      const itemId = record['itemId'];
      if (typeof itemId !== 'string' || itemId === '') return failed(record, 'Each input line needs an "itemId" string.');
      const ranked = (best.get(itemId) ?? []).sort((a, b) => b.score - a.score || (a.user < b.user ? -1 : 1)).slice(0, k);
      return { input: { itemId }, output: { recommendedUsers: ranked.map((r) => r.user) }, error: null };
    });
  }

  /** Every user id in the group's committed interactions, in first-seen order. */
  private async usersOf(groupArn: string): Promise<string[]> {
    const data = this.store.list<DatasetAttrs>(DATASET).find((d) => d.attrs.datasetGroupArn === groupArn && d.attrs.datasetType === 'INTERACTIONS')?.attrs.data;
    if (data === undefined) return [];
    const column = data.columns.findIndex((c) => c.toUpperCase() === 'USER_ID');
    const users = new Set<string>();
    for await (const row of readDataFile(join(this.store.dir, data.file))) {
      const user = row[column];
      if (user !== undefined && user !== '') users.add(user);
    }
    return [...users];
  }
}

/** The line's own filter, when the job has one: its user or item, and its `filterValues`. */
function lineFilter(filter: BatchFilter | undefined, record: JsonRecord, userId: string | undefined, itemId: string | undefined): LineFilter | undefined {
  if (filter === undefined) return undefined;
  const values = record['filterValues'];
  const filterValues = isRecord(values) ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) : undefined;
  return filter.forLine({ ...(userId === undefined ? {} : { userId }), ...(itemId === undefined ? {} : { itemId }), ...(filterValues === undefined ? {} : { filterValues }) });
}

const recommended = (record: JsonRecord, recs: readonly Recommendation[]): OutputLine => ({ input: record, output: { recommendedItems: recs.map((r) => r.itemId), scores: scoresOf(recs) }, error: null });

/** One batch inference line, answered by recipe type as the service's input formats say. */
function answer(recipeType: RecipeType, model: Model, record: JsonRecord, k: number, filter: BatchFilter | undefined): OutputLine {
  const userId = record['userId'];
  const itemId = record['itemId'];
  if (recipeType === 'RELATED_ITEMS') {
    if (typeof itemId !== 'string' || itemId === '') return failed(record, 'Each input line needs an "itemId" string for a related-items solution.');
    const line = lineFilter(filter, record, undefined, itemId);
    if (line?.ok === false) return failed(record, line.message);
    return recommended(record, firstPassing((n) => model.relatedItems(itemId, n), k, line?.keep));
  }
  if (typeof userId !== 'string' || userId === '') return failed(record, 'Each input line needs a "userId" string.');
  const line = lineFilter(filter, record, userId, undefined);
  if (line?.ok === false) return failed(record, line.message);
  if (recipeType === 'PERSONALIZED_RANKING') {
    const list = record['itemList'];
    if (!Array.isArray(list) || list.length === 0 || !list.every((i): i is string => typeof i === 'string')) {
      return failed(record, 'Each input line needs an "itemList" array of item ids for a personalized-ranking solution.');
    }
    return recommended(record, model.rank(userId, list).filter((r) => line === undefined || line.keep(r.itemId)));
  }
  return recommended(record, firstPassing((n) => model.recommend(userId, n), k, line?.keep));
}
