import { closeSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { columnKindOf, type ColumnKind, type EventFilter, type HyperParameters, type MetricName, type RecipeName } from '../../engine/index.ts';
import { DATASET, type DatasetAttrs, type DatasetType } from './datasets.ts';
import type { WorkResult } from './lifecycle.ts';
import { RECIPES, type RecipeType } from './recipes.ts';
import { SCHEMA, type SchemaAttrs } from './schemas.ts';
import { SOLUTION_VERSION, type JsonObject, type SolutionVersionAttrs, type VersionArtifacts } from './solution-types.ts';
import type { ResourceRecord, Store } from './store.ts';
import type { JobSource, TrainJob } from './train-job.ts';
import { TrainingPool, type PoolOptions } from './worker-pool.ts';
import { openStreamedEvents } from '../runtime/training-events.ts';

/** The keys GetSolutionMetrics returns for each recipe type (facts section 6). */
const SERVICE_METRICS: readonly MetricName[] = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'precision_at_5',
  'precision_at_10',
  'precision_at_25',
];

export const METRIC_KEYS: Readonly<Partial<Record<RecipeType, readonly string[]>>> = {
  USER_PERSONALIZATION: SERVICE_METRICS,
  PERSONALIZED_RANKING: SERVICE_METRICS,
  RELATED_ITEMS: SERVICE_METRICS,
  POPULAR_ITEMS: SERVICE_METRICS,
};

/** Where a version's model and metrics live, relative to the Personalize state directory. */
export function versionDir(versionArn: string): string {
  const [solutionName = '', id = ''] = versionArn.slice(versionArn.indexOf(':solution/') + ':solution/'.length).split('/');
  return join('models', solutionName, id);
}

/** Ends a run with a failureReason. */
class TrainingFailure extends Error {}

/**
 * One model to train: for a dataset group, with a recipe and a configuration. Solution versions
 * and recommenders both describe their training this way. Invariants: `id` is the ARN of what
 * trains (it names the work; the data trained on seeds the evaluation split); `dir` is relative
 * to the Personalize state directory and belongs to this training alone (a retrain writes
 * another), so a served model is never replaced under its reader.
 */
export interface TrainingSpec {
  readonly id: string;
  readonly datasetGroupArn: string;
  readonly engine: RecipeName;
  readonly recipeType: RecipeType;
  readonly params: HyperParameters;
  readonly filter: EventFilter;
  /** Holds `trainingDataConfig` (a solutionConfig or a recommenderConfig). */
  readonly config?: JsonObject;
  readonly dir: string;
  /** Extra data preparation for domain use cases (see TrainJob). */
  readonly domain?: TrainJob['domain'];
}

/** How a training ended: its files (relative to the state directory), or the service's failureReason. */
export type TrainingOutcome = { readonly status: 'ACTIVE'; readonly artifacts: VersionArtifacts } | { readonly status: 'CREATE FAILED'; readonly failureReason: string };

/** Column names from `trainingDataConfig` for one dataset type, upper-cased as the loader names them. */
function configuredColumns(config: JsonObject | undefined, member: string, type: DatasetType): Set<string> | undefined {
  const byType = (config?.trainingDataConfig as Record<string, Record<string, unknown>> | undefined)?.[member];
  const names = byType?.[type] ?? byType?.[type.toLowerCase()];
  return Array.isArray(names) ? new Set(names.map((n) => String(n).toUpperCase())) : undefined;
}

/**
 * Trains models with the local engine, off the event loop: a solution version's (`run`) or any
 * {@link TrainingSpec}'s, a recommender's included (`train`). Opens the dataset group's
 * committed files as they are when training starts, and a worker thread (`TrainingPool`) applies
 * the event filter, checks the service's minimums, trains and evaluates on Personalize's split
 * seeded from the data trained on (`evaluationSeed`: every model of the same interactions and
 * event filter is scored on the same held-out users). The model and metrics are written here,
 * beside the state (never into it). Stopping a version or closing the emulator aborts the work
 * through its signal, which ends the thread running it.
 */
export class Trainer {
  private readonly pool: TrainingPool;

  constructor(
    private readonly store: Store,
    pool?: PoolOptions,
  ) {
    this.pool = new TrainingPool(pool);
  }

  /**
   * Removes model folders no version names: those of a solution whose deletion a crash
   * interrupted. A version still training rewrites its own folder when its work restarts.
   */
  sweep(): void {
    const root = join(this.store.dir, 'models');
    if (!existsSync(root)) return;
    const keep = new Set(this.store.list(SOLUTION_VERSION).map((v) => join(this.store.dir, versionDir(v.arn))));
    for (const solution of readdirSync(root)) {
      for (const id of readdirSync(join(root, solution))) {
        const dir = join(root, solution, id);
        if (!keep.has(dir)) rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  async run(version: ResourceRecord<SolutionVersionAttrs>, signal: AbortSignal): Promise<WorkResult> {
    const { attrs } = version;
    const recipe = RECIPES.find((r) => r.name === attrs.recipeName);
    if (recipe?.engine === undefined) {
      return { status: 'CREATE FAILED', failureReason: `The emulator cannot train recipe ${attrs.recipeName} (${recipe?.recipeType ?? 'unknown type'}); it trains user personalization, popularity, ranking and related-items recipes.` };
    }
    const outcome = await this.train(
      {
        id: version.arn,
        datasetGroupArn: attrs.datasetGroupArn,
        engine: recipe.engine,
        recipeType: recipe.recipeType,
        params: (attrs.solutionConfig?.algorithmHyperParameters ?? {}) as HyperParameters,
        filter: eventFilter(attrs),
        ...(attrs.solutionConfig === undefined ? {} : { config: attrs.solutionConfig }),
        dir: versionDir(version.arn),
      },
      signal,
    );
    if (outcome.status === 'CREATE FAILED') return outcome;
    return { status: 'ACTIVE', commit: () => void (attrs.artifacts = outcome.artifacts) };
  }

  /** Trains one model as `spec` describes; throws only for emulator faults and aborts. */
  async train(spec: TrainingSpec, signal: AbortSignal): Promise<TrainingOutcome> {
    try {
      return await this.trainModel(spec, signal);
    } catch (err) {
      if (err instanceof TrainingFailure) return { status: 'CREATE FAILED', failureReason: err.message };
      throw err;
    }
  }

  /** Ends the training threads; running work is aborted through its signal first (lifecycle close). */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async trainModel(spec: TrainingSpec, signal: AbortSignal): Promise<TrainingOutcome> {
    const fds: number[] = [];
    try {
      const sources = this.open(spec, fds);
      const job: TrainJob = {
        id: spec.id,
        recipe: spec.engine,
        params: spec.params,
        filter: spec.filter,
        metricKeys: METRIC_KEYS[spec.recipeType] ?? SERVICE_METRICS,
        ...(spec.domain === undefined ? {} : { domain: spec.domain }),
        ...sources,
      };
      const outcome = await this.pool.run(job, signal);
      if (outcome.type === 'failed') throw new TrainingFailure(outcome.failureReason);
      if (outcome.type === 'crashed') throw new Error(outcome.message);
      signal.throwIfAborted();

      const dir = join(this.store.dir, spec.dir);
      await mkdir(dir, { recursive: true });
      signal.throwIfAborted();
      const modelPath = await writeAtomic(join(dir, 'model.bin'), outcome.model);
      const metricsPath = await writeAtomic(join(dir, 'metrics.json'), JSON.stringify({ metrics: outcome.metrics }));
      const artifacts = { model: relative(this.store.dir, modelPath), metrics: relative(this.store.dir, metricsPath) };
      return { status: 'ACTIVE', artifacts };
    } finally {
      // The pool settles only once no thread reads them, whatever the outcome.
      for (const fd of fds) closeSync(fd);
    }
  }

  /**
   * The group's data as committed now. Files are opened at once: a newer import may replace a
   * dataset's file while training reads it, and an open descriptor keeps the old one readable.
   * Every descriptor opened is pushed to `fds`, for the caller to close.
   */
  private open(spec: TrainingSpec, fds: number[]): Pick<TrainJob, 'interactions' | 'items' | 'users' | 'streamed'> {
    const datasets = this.store.list<DatasetAttrs>(DATASET).filter((d) => d.attrs.datasetGroupArn === spec.datasetGroupArn && d.attrs.data !== undefined);
    const source = (type: DatasetType): JobSource | undefined => {
      const dataset = datasets.find((d) => d.attrs.datasetType === type);
      const data = dataset?.attrs.data;
      if (dataset === undefined || data === undefined) return undefined;
      const fields = this.store.find<SchemaAttrs>(SCHEMA, dataset.attrs.schemaArn)?.attrs.fields ?? [];
      const excluded = configuredColumns(spec.config, 'excludedDatasetColumns', type);
      const included = configuredColumns(spec.config, 'includedDatasetColumns', type);
      const kinds: Record<string, ColumnKind> = {};
      for (const column of data.columns) {
        const name = column.toUpperCase();
        const field = fields.find((f) => f.name.toUpperCase() === name);
        const dropped = excluded?.has(name) === true || (included !== undefined && !included.has(name));
        kinds[name] = field === undefined || dropped ? 'ignored' : columnKindOf(field);
      }
      const fd = openSync(join(this.store.dir, data.file), 'r');
      fds.push(fd);
      return { fd, kinds };
    };
    const interactions = source('INTERACTIONS');
    if (interactions === undefined) throw new TrainingFailure('The dataset group has no imported interactions data.');
    const items = source('ITEMS');
    const users = source('USERS');
    // Events put since the import train too (PutEvents): the service keeps them apart from bulk data.
    const interactionsDataset = datasets.find((d) => d.attrs.datasetType === 'INTERACTIONS');
    const streamed = interactionsDataset === undefined ? undefined : openStreamedEvents(this.store.dir, interactionsDataset, fds);
    return { interactions, ...(items === undefined ? {} : { items }), ...(users === undefined ? {} : { users }), ...(streamed === undefined ? {} : { streamed }) };
  }
}

/** One trainer, hence one pool of training threads, per service: solution versions and recommenders share it. */
const trainers = new WeakMap<Store, Trainer>();

export function trainerOf(store: Store): Trainer {
  let trainer = trainers.get(store);
  if (trainer === undefined) {
    trainer = new Trainer(store);
    trainers.set(store, trainer);
  }
  return trainer;
}

function eventFilter(attrs: SolutionVersionAttrs): EventFilter {
  const threshold = attrs.solutionConfig?.eventValueThreshold;
  return {
    ...(attrs.eventType === undefined ? {} : { eventType: attrs.eventType }),
    ...(typeof threshold === 'string' ? { eventValueThreshold: Number(threshold) } : {}),
  };
}

async function writeAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
  return path;
}
