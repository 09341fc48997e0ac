import { read } from 'node:fs';
import { promisify } from 'node:util';
import {
  checkTrainingMinimums,
  evaluateRecipe,
  evaluationSeed,
  loadCsvData,
  serializeModel,
  trainModel,
  type ColumnKind,
  type EventFilter,
  type HyperParameters,
  type MetadataSource,
  type RecipeName,
} from '../../engine/index.ts';
import { domainFilter, domainWindow, type DomainPreparation } from './domain-training.ts';
import { withStreamedEvents, type StreamedEvents } from '../runtime/training-events.ts';

/** A dataset's CSV as an open descriptor (owned by the caller) and the engine kind of each column. */
export interface JobSource {
  readonly fd: number;
  readonly kinds: Readonly<Record<string, ColumnKind>>;
}

/**
 * Everything one training needs, plain data so it crosses a worker boundary. `id` is the
 * solution version's (or recommender's) ARN; it names the job, it does not seed it: the
 * evaluation split is seeded from the data trained on (`evaluationSeed`). The descriptors stay
 * open until the job's result is handled: the job reads them from their start and never closes
 * them.
 */
export interface TrainJob {
  readonly id: string;
  readonly recipe: RecipeName;
  readonly params: HyperParameters;
  readonly filter: EventFilter;
  /** GetSolutionMetrics keys, in the order metrics.json lists them. */
  readonly metricKeys: readonly string[];
  readonly interactions: JobSource;
  readonly items?: JobSource;
  readonly users?: JobSource;
  /** A recommender's use case: how its data is prepared before the minimums (domain-training.ts). */
  readonly domain?: DomainPreparation;
  /** Events put into the Interactions dataset since its import; they train after the bulk rows. */
  readonly streamed?: StreamedEvents;
}

/**
 * How a job ended: `trained` carries the serialized model and the metrics; `failed` is a
 * training failure the service would report as failureReason; `crashed` is an emulator bug.
 */
export type JobOutcome =
  | { readonly type: 'trained'; readonly model: Uint8Array; readonly metrics: Readonly<Record<string, number>> }
  | { readonly type: 'failed'; readonly failureReason: string }
  | { readonly type: 'crashed'; readonly message: string };

/** A job's outcome tagged with its id, as the worker posts it. */
export interface JobReply {
  readonly id: string;
  readonly outcome: JobOutcome;
}

const readAt = promisify(read);
/** As a file stream reads: 64 KiB at a time. */
const CHUNK = 64 * 1024;

/**
 * The file's bytes from its start, read at explicit positions and never closed: a file stream
 * would close the descriptor when destroyed, and the descriptor is the caller's.
 */
async function* chunksOf(source: JobSource): AsyncGenerator<Uint8Array> {
  let position = 0;
  for (;;) {
    const { bytesRead, buffer } = await readAt(source.fd, Buffer.allocUnsafe(CHUNK), 0, CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * Loads, checks the service's minimums, trains and evaluates: the whole CPU-heavy part of a
 * solution version, with nothing that touches the emulator's state, so a worker thread can run it.
 * Same data and settings, same bytes and metrics, whatever the job's id.
 */
export async function runTrainJob(job: TrainJob): Promise<JobOutcome> {
  const metadata = (source: JobSource | undefined): MetadataSource | undefined => (source === undefined ? undefined : { source: chunksOf(source), kinds: source.kinds });
  const items = metadata(job.items);
  const users = metadata(job.users);
  const loaded = await loadCsvData({ interactions: withStreamedEvents(chunksOf(job.interactions), job.streamed), ...(items === undefined ? {} : { items }), ...(users === undefined ? {} : { users }) });
  if (!loaded.ok) return { type: 'failed', failureReason: loaded.failure.message };
  const filter = domainFilter(loaded.value.data, job.filter, job.domain);
  const short = checkTrainingMinimums(loaded.value.data, filter);
  if (short !== undefined) return { type: 'failed', failureReason: short.message };
  const data = domainWindow(loaded.value.data, job.domain);

  // After the domain's preparation: the seed follows exactly the rows and filter trained on.
  const options = { recipe: job.recipe, data, params: job.params, seed: evaluationSeed(data, filter), filter };
  const model = trainModel(options);
  if (!model.ok) return { type: 'failed', failureReason: model.failure.message };
  const bytes = serializeModel(model.value);
  const evaluation = evaluateRecipe(options);
  if (!evaluation.ok) return { type: 'failed', failureReason: evaluation.failure.message };
  const scores: Readonly<Record<string, number>> = evaluation.value.metrics;
  const metrics = Object.fromEntries(job.metricKeys.map((k) => [k, scores[k] ?? 0]));
  return { type: 'trained', model: bytes, metrics };
}
