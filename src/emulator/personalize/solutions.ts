import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { autoTrainerOf, scheduleDays } from './auto-training.ts';
import { getDatasetGroup } from './dataset-groups.ts';
import { DATASET, type DatasetAttrs } from './datasets.ts';
import { inUse, invalidInput } from './errors.ts';
import { beginCreate, beginDelete, checkGroupQuota, newRecord, requireActive, statusFields, type Input, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { epochSeconds } from './protocol.ts';
import { solutionRecipe } from './recipes.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import { EVENT_TYPE, SOLUTION_CONFIG, SOLUTION_UPDATE_CONFIG } from './solution-shapes.ts';
import {
  getSolution,
  SOLUTION,
  SOLUTION_VERSION,
  TRAINING_STATUSES,
  versionsOf,
  type JsonObject,
  type SolutionAttrs,
  type SolutionUpdate,
} from './solution-types.ts';
import { versionSummary } from './solution-versions.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

/** The adjustable quota of solutions per dataset group. */
const MAX_SOLUTIONS_PER_GROUP = 10;
/** UpdateSolution changes only these; any other member is refused by name. */
const UPDATABLE = new Set(['solutionArn', 'performAutoTraining', 'performIncrementalUpdate', 'solutionUpdateConfig']);
const DATASET_TYPES = new Set(['INTERACTIONS', 'ITEMS', 'USERS', 'ACTIONS', 'ACTION_INTERACTIONS']);
const INCREMENTAL_RECIPE = 'aws-semantic-similarity';

function expressionIn(config: JsonObject | undefined): string | undefined {
  return (config?.autoTrainingConfig as { schedulingExpression?: string } | undefined)?.schedulingExpression;
}

/** The semantic rules of solutionConfig that its shape cannot express. */
function checkConfig(config: JsonObject | undefined): void {
  if (config === undefined) return;
  const threshold = config.eventValueThreshold;
  if (typeof threshold === 'string' && (threshold.trim() === '' || !Number.isFinite(Number(threshold)))) {
    throw invalidInput(`solutionConfig.eventValueThreshold must be a number; got ${threshold}.`);
  }
  scheduleDays(expressionIn(config));
  const columns = config.trainingDataConfig as Record<string, Record<string, unknown> | undefined> | undefined;
  for (const member of ['excludedDatasetColumns', 'includedDatasetColumns']) {
    for (const type of Object.keys(columns?.[member] ?? {})) {
      if (!DATASET_TYPES.has(type.toUpperCase())) throw invalidInput(`solutionConfig.trainingDataConfig.${member} has an unknown dataset type ${type}.`);
    }
  }
}

/** The latest update's status follows from its age: PENDING, IN_PROGRESS, then ACTIVE. */
function updateStatus(state: ServiceState, update: SolutionUpdate): { status: string; at: number } {
  const ms = state.ctx.durations.update;
  const age = state.ctx.now() - update.createdAt;
  if (age >= ms) return { status: 'ACTIVE', at: update.createdAt + ms };
  if (age >= ms / 2) return { status: 'CREATE IN_PROGRESS', at: update.createdAt + ms / 2 };
  return { status: 'CREATE PENDING', at: update.createdAt };
}

function summary(record: ResourceRecord<SolutionAttrs>): Record<string, unknown> {
  return { name: record.name, solutionArn: record.arn, ...statusFields(record), ...(record.attrs.recipeArn === undefined ? {} : { recipeArn: record.attrs.recipeArn }) };
}

function describe(state: ServiceState, record: ResourceRecord<SolutionAttrs>): Record<string, unknown> {
  const a = record.attrs;
  const latest = versionsOf(state, record.arn).at(-1);
  const update = a.latestUpdate;
  const progress = update === undefined ? undefined : updateStatus(state, update);
  return {
    ...summary(record),
    performHPO: a.performHPO,
    performAutoML: a.performAutoML,
    performAutoTraining: a.performAutoTraining,
    ...(a.performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate: a.performIncrementalUpdate }),
    datasetGroupArn: a.datasetGroupArn,
    ...(a.eventType === undefined ? {} : { eventType: a.eventType }),
    ...(a.solutionConfig === undefined ? {} : { solutionConfig: a.solutionConfig }),
    ...(latest === undefined ? {} : { latestSolutionVersion: versionSummary(latest) }),
    ...(update === undefined || progress === undefined
      ? {}
      : {
          latestSolutionUpdate: {
            solutionUpdateConfig: update.solutionUpdateConfig,
            status: progress.status,
            performAutoTraining: update.performAutoTraining,
            ...(update.performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate: update.performIncrementalUpdate }),
            creationDateTime: epochSeconds(update.createdAt),
            lastUpdatedDateTime: epochSeconds(progress.at),
          },
        }),
  };
}

function createAttrs(input: Input, datasetGroupArn: string): SolutionAttrs {
  const performAutoML = input.optBoolean('performAutoML') ?? false;
  const recipeArn = input.optString('recipeArn');
  if (performAutoML && recipeArn !== undefined) throw invalidInput('recipeArn must not be set when performAutoML is true.');
  if (!performAutoML && recipeArn === undefined) throw invalidInput('recipeArn is required unless performAutoML is true.');
  const recipe = recipeArn === undefined ? undefined : solutionRecipe(recipeArn);
  const performIncrementalUpdate = input.optBoolean('performIncrementalUpdate');
  if (performIncrementalUpdate === true && recipe?.name !== INCREMENTAL_RECIPE) {
    throw invalidInput(`performIncrementalUpdate is only supported with ${INCREMENTAL_RECIPE}.`);
  }
  const solutionConfig = input.raw.solutionConfig as JsonObject | undefined;
  checkConfig(solutionConfig);
  const eventType = input.optString('eventType');
  return {
    datasetGroupArn,
    ...(recipeArn === undefined ? {} : { recipeArn }),
    // AutoML searches hyperparameters too, so it turns HPO on.
    performHPO: (input.optBoolean('performHPO') ?? false) || performAutoML,
    performAutoML,
    performAutoTraining: input.optBoolean('performAutoTraining') ?? true,
    ...(performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate }),
    ...(eventType === undefined ? {} : { eventType }),
    ...(solutionConfig === undefined ? {} : { solutionConfig }),
  };
}

export const solutionsModule: KindModule = {
  kind: SOLUTION,
  hooks: (state) => {
    const autoTrainer = autoTrainerOf(state);
    autoTrainer.schedule();
    return {
      onSettled(raw) {
        if (raw.status === 'ACTIVE') autoTrainer.arm(raw as ResourceRecord<SolutionAttrs>, raw.updatedAt, true);
      },
      onRemoved(raw) {
        for (const version of versionsOf(state, raw.arn)) state.store.remove(version.arn);
        rmSync(join(state.store.dir, 'models', raw.name), { recursive: true, force: true });
      },
      close: () => autoTrainer.close(),
    };
  },
  operations: {
    CreateSolution: {
      input: structure({
        name: required(NAME),
        performHPO: { type: 'boolean' },
        performAutoML: { type: 'boolean' },
        performAutoTraining: { type: 'boolean' },
        performIncrementalUpdate: { type: 'boolean' },
        recipeArn: ARN,
        datasetGroupArn: required(ARN),
        eventType: EVENT_TYPE,
        solutionConfig: SOLUTION_CONFIG,
        tags: TAGS,
      }),
      run(state, input) {
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const name = input.string('name');
        const record = newRecord(state, SOLUTION, state.arn(`solution/${name}`), name, createAttrs(input, group.arn), mergeTags([], input.tags()));
        requireActive(group, 'dataset group');
        const datasets = state.store.list<DatasetAttrs>(DATASET).filter((d) => d.attrs.datasetGroupArn === group.arn);
        if (!datasets.some((d) => d.attrs.datasetType === 'INTERACTIONS')) {
          throw invalidInput(`Dataset group ${group.arn} has no Interactions dataset; a solution trains on one.`);
        }
        checkGroupQuota(state, SOLUTION, group.arn, MAX_SOLUTIONS_PER_GROUP, 'solution');
        beginCreate(state, record);
        state.store.save();
        return { solutionArn: record.arn };
      },
    },
    DescribeSolution: {
      input: structure({ solutionArn: required(ARN) }),
      run(state, input) {
        return { solution: describe(state, getSolution(state, input.string('solutionArn'))) };
      },
    },
    ListSolutions: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<SolutionAttrs>(state, input, { operation: 'ListSolutions', kind: SOLUTION, parent: 'datasetGroupArn', key: 'solutions' }, summary),
    },
    UpdateSolution: {
      input: structure({
        solutionArn: required(ARN),
        performAutoTraining: { type: 'boolean' },
        performIncrementalUpdate: { type: 'boolean' },
        solutionUpdateConfig: SOLUTION_UPDATE_CONFIG,
      }),
      run(state, input) {
        const fixed = Object.keys(input.raw).filter((k) => !UPDATABLE.has(k));
        if (fixed.length > 0) {
          throw invalidInput(`${fixed.join(', ')} cannot be updated: a solution's configuration is fixed after creation. Only performAutoTraining, performIncrementalUpdate and solutionUpdateConfig can change.`);
        }
        const record = getSolution(state, input.string('solutionArn'));
        requireActive(record, 'solution');
        const a = record.attrs;
        if (a.latestUpdate !== undefined && updateStatus(state, a.latestUpdate).status !== 'ACTIVE') {
          throw inUse(`Solution ${record.arn} has an update in progress.`);
        }
        const performIncrementalUpdate = input.optBoolean('performIncrementalUpdate');
        if (performIncrementalUpdate === true && a.recipeArn?.endsWith(`/${INCREMENTAL_RECIPE}`) !== true) {
          throw invalidInput(`performIncrementalUpdate is only supported with ${INCREMENTAL_RECIPE}.`);
        }
        const updateConfig = (input.raw.solutionUpdateConfig ?? {}) as JsonObject;
        scheduleDays(expressionIn(updateConfig));
        const wasOn = a.performAutoTraining;
        a.performAutoTraining = input.optBoolean('performAutoTraining') ?? a.performAutoTraining;
        if (performIncrementalUpdate !== undefined) a.performIncrementalUpdate = performIncrementalUpdate;
        if (Object.keys(updateConfig).length > 0) a.solutionConfig = { ...a.solutionConfig, ...updateConfig };
        const now = state.ctx.now();
        a.latestUpdate = {
          solutionUpdateConfig: updateConfig,
          performAutoTraining: a.performAutoTraining,
          ...(a.performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate: a.performIncrementalUpdate }),
          createdAt: now,
        };
        const trainer = autoTrainerOf(state);
        if (!a.performAutoTraining) trainer.disarm(record);
        else if (!wasOn) trainer.arm(record, now, false);
        trainer.schedule();
        state.store.save();
        return { solutionArn: record.arn };
      },
    },
    DeleteSolution: {
      input: structure({ solutionArn: required(ARN) }),
      run(state, input) {
        const record = getSolution(state, input.string('solutionArn'));
        const training = versionsOf(state, record.arn).find((v) => TRAINING_STATUSES.has(v.status));
        if (training !== undefined) {
          throw inUse(`Solution ${record.arn} has solution version ${training.arn} in status ${training.status ?? ''}; stop it with StopSolutionVersionCreation first.`);
        }
        for (const other of state.store.all()) {
          if (other.kind !== SOLUTION_VERSION && (other.attrs as { solutionArn?: string }).solutionArn === record.arn) {
            throw inUse(`Solution ${record.arn} is used by ${other.arn}; delete it first.`);
          }
        }
        beginDelete(state, record, 'solution');
        autoTrainerOf(state).disarm(record);
        state.store.save();
        return {};
      },
    },
  },
};
