import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDatasetGroup } from './dataset-groups.ts';
import { DATASET, type DatasetAttrs } from './datasets.ts';
import { inUse, invalidInput, notFound } from './errors.ts';
import { deletePhases, halves, type Phase, type WorkResult } from './lifecycle.ts';
import { checkGroupQuota, newRecord, requireActive, statusFields, type Input, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { epochSeconds } from './protocol.ts';
import { findRecipe, recipeArn } from './recipes.ts';
import {
  getRecommender,
  MAX_RECOMMENDERS_PER_GROUP,
  normalizeConfig,
  RECOMMENDER,
  RECOMMENDER_CONFIG,
  RECOMMENDER_MODELS,
  RECOMMENDER_UPDATE,
  recommenderModelDir,
  updateInFlight,
  type RecommenderAttrs,
  type RecommenderUpdateAttrs,
} from './recommender-types.ts';
import { USE_CASE_TRAINING } from './recommender-use-cases.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import type { JsonObject } from './solution-types.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';
import { trainerOf, type TrainingOutcome } from './trainer.ts';

/** Training as solution versions queue and train: a tenth PENDING, the rest IN_PROGRESS. */
const trainingPhases = (ms: number): Phase[] => [
  { status: 'CREATE PENDING', ms: ms / 10 },
  { status: 'CREATE IN_PROGRESS', ms: (ms * 9) / 10 },
];

function summary(record: ResourceRecord<RecommenderAttrs>): Record<string, unknown> {
  const a = record.attrs;
  return { name: record.name, recommenderArn: record.arn, datasetGroupArn: a.datasetGroupArn, recipeArn: a.recipeArn, recommenderConfig: a.recommenderConfig, ...statusFields(record) };
}

function modelMetrics(state: ServiceState, attrs: RecommenderAttrs): Record<string, number> | undefined {
  const file = attrs.artifacts?.metrics;
  if (file === undefined) return undefined;
  return (JSON.parse(readFileSync(join(state.store.dir, file), 'utf8')) as { metrics: Record<string, number> }).metrics;
}

function describe(state: ServiceState, record: ResourceRecord<RecommenderAttrs>): Record<string, unknown> {
  const update = record.attrs.latestUpdate;
  const metrics = modelMetrics(state, record.attrs);
  return {
    ...summary(record),
    ...(update === undefined
      ? {}
      : {
          latestRecommenderUpdate: {
            recommenderConfig: update.recommenderConfig,
            creationDateTime: epochSeconds(update.createdAt),
            lastUpdatedDateTime: epochSeconds(update.updatedAt),
            status: update.status,
            ...(update.failureReason === undefined ? {} : { failureReason: update.failureReason }),
          },
        }),
    ...(metrics === undefined ? {} : { modelMetrics: metrics }),
  };
}

/** The domain use case an ARN names, for a group of `domain`; the service's error otherwise. */
function useCaseFor(arn: string, groupArn: string, domain: string | undefined): string {
  if (domain === undefined) {
    throw invalidInput(`Dataset group ${groupArn} is not a domain dataset group; recommenders need a group created with domain ECOMMERCE or VIDEO_ON_DEMAND.`);
  }
  const recipe = findRecipe(arn);
  if (recipe === undefined) throw notFound('recipe', arn);
  if (recipe.domain !== domain) {
    const valid = Object.keys(USE_CASE_TRAINING).filter((name) => findRecipe(recipeArn(name))?.domain === domain);
    throw invalidInput(`Recipe ${arn} is not a ${domain} use case; valid recipes for this dataset group: ${valid.join(', ')}.`);
  }
  return recipe.name;
}

/** The columns a configuration trains with, as sorted `member/TYPE/COLUMN` entries: equal when training would be. */
function trainingColumns(config: JsonObject): string {
  const columns = (config['trainingDataConfig'] ?? {}) as Record<string, Record<string, readonly string[]> | undefined>;
  const entries: string[] = [];
  for (const [member, byType] of Object.entries(columns)) {
    for (const [type, names] of Object.entries(byType ?? {})) for (const name of names) entries.push(`${member}/${type.toUpperCase()}/${name.toUpperCase()}`);
  }
  return entries.sort().join(',');
}

/** Trains the recommender's use case with `config`; the model goes to its own folder under `id`. */
async function trainUseCase(state: ServiceState, recommender: ResourceRecord<RecommenderAttrs>, config: JsonObject, id: string, signal: AbortSignal): Promise<TrainingOutcome> {
  const useCase = recommender.attrs.recipeArn.slice(recommender.attrs.recipeArn.lastIndexOf('/') + 1);
  const training = USE_CASE_TRAINING[useCase];
  const recipe = findRecipe(recommender.attrs.recipeArn);
  if (training === undefined || recipe === undefined) return { status: 'CREATE FAILED', failureReason: `The emulator cannot train use case ${useCase}.` };
  if (training.needsItems === true) {
    const items = state.store.list<DatasetAttrs>(DATASET).find((d) => d.attrs.datasetGroupArn === recommender.attrs.datasetGroupArn && d.attrs.datasetType === 'ITEMS');
    if (items?.attrs.data === undefined) return { status: 'CREATE FAILED', failureReason: `Use case ${useCase} needs an Items dataset with imported data.` };
  }
  return trainerOf(state.store).train(
    {
      id,
      datasetGroupArn: recommender.attrs.datasetGroupArn,
      engine: training.engine,
      recipeType: recipe.recipeType,
      params: {},
      filter: training.eventType === undefined ? {} : { eventType: training.eventType },
      config,
      dir: recommenderModelDir(recommender.name, id.slice(id.lastIndexOf('/') + 1)),
      domain: training.domain,
    },
    signal,
  );
}

function done(outcome: TrainingOutcome, commit: (o: Extract<TrainingOutcome, { status: 'ACTIVE' }>) => void): WorkResult {
  return outcome.status === 'CREATE FAILED' ? outcome : { status: 'ACTIVE', commit: () => commit(outcome) };
}

/** StopRecommender and StartRecommender: each moves one settled status to the other. */
const MOVES = {
  stop: { from: 'ACTIVE', to: 'INACTIVE', phases: ['STOP PENDING', 'STOP IN_PROGRESS'], done: 'stopped' },
  start: { from: 'INACTIVE', to: 'ACTIVE', phases: ['START PENDING', 'START IN_PROGRESS'], done: 'started' },
} as const;

function move(state: ServiceState, input: Input, verb: keyof typeof MOVES): Record<string, string> {
  const { from, to, phases, done } = MOVES[verb];
  const record = getRecommender(state, input.string('recommenderArn'));
  if (record.status !== from) throw inUse(`Recommender ${record.arn} is in status ${record.status ?? 'unknown'}; only an ${from} recommender can be ${done}.`);
  // Only an ACTIVE recommender can have an update in flight (UpdateRecommender needs ACTIVE and
  // Stop refuses during one), so for a start this never fires.
  if (updateInFlight(record.attrs)) throw inUse(`Recommender ${record.arn} has an update in progress.`);
  state.lifecycle.begin(record, halves(phases[0], phases[1], state.ctx.durations.update), { type: 'status', status: to });
  state.store.save();
  return { recommenderArn: record.arn };
}

/** Recommenders: create (trains), describe, list, update, stop, start, delete. */
export const recommendersModule: KindModule = {
  kind: RECOMMENDER,
  hooks: (state) => ({
    async work(raw, signal) {
      const record = raw as ResourceRecord<RecommenderAttrs>;
      // The ARN seeds the evaluation split; the name's last part names the model folder.
      const outcome = await trainUseCase(state, record, record.attrs.recommenderConfig, `${record.arn}/initial`, signal);
      return done(outcome, (o) => void (record.attrs.artifacts = o.artifacts));
    },
    onRemoved(record) {
      rmSync(join(state.store.dir, RECOMMENDER_MODELS, record.name), { recursive: true, force: true });
    },
  }),
  operations: {
    CreateRecommender: {
      input: structure({ name: required(NAME), datasetGroupArn: required(ARN), recipeArn: required(ARN), recommenderConfig: RECOMMENDER_CONFIG, tags: TAGS }),
      run(state, input) {
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const name = input.string('name');
        const arn = input.string('recipeArn');
        useCaseFor(arn, group.arn, group.attrs.domain);
        const attrs: RecommenderAttrs = { datasetGroupArn: group.arn, recipeArn: arn, recommenderConfig: normalizeConfig(input.raw['recommenderConfig']) };
        const record = newRecord(state, RECOMMENDER, state.arn(`recommender/${name}`), name, attrs, mergeTags([], input.tags()));
        requireActive(group, 'dataset group');
        checkGroupQuota(state, RECOMMENDER, group.arn, MAX_RECOMMENDERS_PER_GROUP, 'recommender');
        state.store.put(record);
        state.lifecycle.begin(record, trainingPhases(state.ctx.durations.training), { type: 'work' });
        state.store.save();
        return { recommenderArn: record.arn };
      },
    },
    DescribeRecommender: {
      input: structure({ recommenderArn: required(ARN) }),
      run(state, input) {
        return { recommender: describe(state, getRecommender(state, input.string('recommenderArn'))) };
      },
    },
    ListRecommenders: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<RecommenderAttrs>(state, input, { operation: 'ListRecommenders', kind: RECOMMENDER, parent: 'datasetGroupArn', key: 'recommenders' }, summary),
    },
    UpdateRecommender: {
      input: structure({ recommenderArn: required(ARN), recommenderConfig: required(RECOMMENDER_CONFIG) }),
      run(state, input) {
        const record = getRecommender(state, input.string('recommenderArn'));
        requireActive(record, 'recommender');
        if (updateInFlight(record.attrs)) throw inUse(`Recommender ${record.arn} has an update in progress.`);
        // The configuration is replaced whole: members left out return to their defaults.
        const config = normalizeConfig(input.raw['recommenderConfig']);
        const retrain = trainingColumns(config) !== trainingColumns(record.attrs.recommenderConfig);
        const updateArn = `${record.arn}/update/${randomBytes(4).toString('hex')}`;
        const update = newRecord<RecommenderUpdateAttrs>(state, RECOMMENDER_UPDATE, updateArn, '', { recommenderArn: record.arn, recommenderConfig: config, retrain }, []);
        const now = state.ctx.now();
        record.attrs.latestUpdate = { recommenderConfig: config, createdAt: now, updatedAt: now, status: 'CREATE PENDING' };
        state.store.put(update);
        const ms = retrain ? state.ctx.durations.training : state.ctx.durations.update;
        state.lifecycle.begin(update, halves('CREATE PENDING', 'CREATE IN_PROGRESS', ms), retrain ? { type: 'work' } : { type: 'status', status: 'ACTIVE' });
        state.store.save();
        return { recommenderArn: record.arn };
      },
    },
    StopRecommender: {
      input: structure({ recommenderArn: required(ARN) }),
      run: (state, input) => move(state, input, 'stop'),
    },
    StartRecommender: {
      input: structure({ recommenderArn: required(ARN) }),
      run: (state, input) => move(state, input, 'start'),
    },
    DeleteRecommender: {
      input: structure({ recommenderArn: required(ARN) }),
      run(state, input) {
        const record = getRecommender(state, input.string('recommenderArn'));
        if (record.status !== 'ACTIVE' && record.status !== 'CREATE FAILED' && record.status !== 'INACTIVE') {
          throw inUse(`Cannot delete recommender ${record.arn} in status ${record.status ?? 'unknown'}.`);
        }
        if (updateInFlight(record.attrs)) throw inUse(`Recommender ${record.arn} has an update in progress.`);
        state.lifecycle.begin(record, deletePhases(state.ctx.durations.delete), { type: 'remove' });
        state.store.save();
        return {};
      },
    },
  },
};

/**
 * UpdateRecommender in flight. Its status is mirrored into the recommender's
 * `latestRecommenderUpdate`; when it turns ACTIVE the new configuration (and, after a retrain,
 * the new model) replaces the served one, and the update record goes.
 */
export const recommenderUpdatesModule: KindModule = {
  kind: RECOMMENDER_UPDATE,
  operations: {},
  hooks: (state) => ({
    async work(raw, signal) {
      const update = raw as ResourceRecord<RecommenderUpdateAttrs>;
      const recommender = state.store.find<RecommenderAttrs>(RECOMMENDER, update.attrs.recommenderArn);
      if (recommender === undefined) return { status: 'CREATE FAILED', failureReason: 'The recommender no longer exists.' };
      const outcome = await trainUseCase(state, recommender, update.attrs.recommenderConfig, update.arn, signal);
      return done(outcome, (o) => void (recommender.attrs.artifacts = o.artifacts));
    },
    onStatus(raw) {
      const update = raw as ResourceRecord<RecommenderUpdateAttrs>;
      const recommender = state.store.find<RecommenderAttrs>(RECOMMENDER, update.attrs.recommenderArn);
      const latest = recommender?.attrs.latestUpdate;
      if (recommender === undefined || latest === undefined || update.status === undefined) return;
      latest.status = update.status;
      latest.updatedAt = update.updatedAt;
      if (update.failureReason !== undefined) latest.failureReason = update.failureReason;
      if (update.status === 'ACTIVE') recommender.attrs.recommenderConfig = update.attrs.recommenderConfig;
      if (update.status === 'ACTIVE' || update.status === 'CREATE FAILED') state.store.remove(update.arn);
    },
  }),
};
