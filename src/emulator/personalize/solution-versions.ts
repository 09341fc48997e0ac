import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET, type DatasetAttrs } from './datasets.ts';
import { inUse, invalidInput, PersonalizeError } from './errors.ts';
import type { Phase } from './lifecycle.ts';
import { checkInFlightQuota, newRecord, requireActive, statusFields, type Input, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import {
  getSolution,
  getSolutionVersion,
  SOLUTION_VERSION,
  versionsOf,
  type SolutionAttrs,
  type SolutionVersionAttrs,
  type TrainingMode,
  type TrainingType,
} from './solution-types.ts';
import type { ResourceRecord, Tag } from './store.ts';
import { mergeTags } from './tags.ts';
import { trainerOf } from './trainer.ts';

/** The adjustable per-region quota of solution versions that are PENDING or IN_PROGRESS. */
const MAX_TRAINING_IN_FLIGHT = 20;
/** Recipes whose versions can be trained with trainingMode UPDATE (facts section 1). */
const UPDATABLE_RECIPES: ReadonlySet<string> = new Set(['aws-user-personalization', 'aws-hrnn-coldstart']);
const HOUR_MS = 3_600_000;

/**
 * PENDING is queueing (a tenth of the configured training time), IN_PROGRESS the rest; the
 * version turns ACTIVE only once that time has passed and the real training has finished.
 */
const trainingPhases = (ms: number): Phase[] => [
  { status: 'CREATE PENDING', ms: ms / 10 },
  { status: 'CREATE IN_PROGRESS', ms: (ms * 9) / 10 },
];

export function versionSummary(record: ResourceRecord<SolutionVersionAttrs>): Record<string, unknown> {
  return { solutionVersionArn: record.arn, ...statusFields(record), trainingMode: record.attrs.trainingMode, trainingType: record.attrs.trainingType };
}

function newVersionArn(state: ServiceState, solutionName: string): string {
  for (;;) {
    const arn = state.arn(`solution/${solutionName}/${randomBytes(4).toString('hex')}`);
    if (state.store.get(arn) === undefined) return arn;
  }
}

/** The recipe a version trains with: the solution's, or for AutoML the first recipe of its list. */
function recipeNameOf(solution: SolutionAttrs): string {
  const arn = solution.recipeArn ?? ((solution.solutionConfig?.autoMLConfig as { recipeList?: string[] } | undefined)?.recipeList?.[0] ?? 'aws-user-personalization');
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export interface VersionRequest {
  readonly trainingMode: TrainingMode;
  readonly trainingType: TrainingType;
  readonly name?: string;
  readonly tags?: readonly Tag[];
}

/**
 * Every check CreateSolutionVersion makes, shared by automatic training. Throws the service's
 * error; returns nothing when a version may start now.
 */
export function checkCanTrain(state: ServiceState, solution: ResourceRecord<SolutionAttrs>): void {
  requireActive(solution, 'solution');
  const interactions = state.store.list<DatasetAttrs>(DATASET).find((d) => d.attrs.datasetGroupArn === solution.attrs.datasetGroupArn && d.attrs.datasetType === 'INTERACTIONS');
  if (interactions?.attrs.data === undefined) {
    throw invalidInput(`The Interactions dataset of ${solution.attrs.datasetGroupArn} has no ACTIVE dataset import job; import data before training.`);
  }
  checkInFlightQuota(state, SOLUTION_VERSION, ['CREATE PENDING', 'CREATE IN_PROGRESS'], MAX_TRAINING_IN_FLIGHT);
}

/** Creates a version of `solution` and starts training it; the caller saves. */
export function startVersion(state: ServiceState, solution: ResourceRecord<SolutionAttrs>, request: VersionRequest): ResourceRecord<SolutionVersionAttrs> {
  const s = solution.attrs;
  const attrs: SolutionVersionAttrs = {
    solutionArn: solution.arn,
    datasetGroupArn: s.datasetGroupArn,
    ...(s.recipeArn === undefined ? {} : { recipeArn: s.recipeArn }),
    recipeName: recipeNameOf(s),
    performHPO: s.performHPO,
    performAutoML: s.performAutoML,
    ...(s.performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate: s.performIncrementalUpdate }),
    ...(s.eventType === undefined ? {} : { eventType: s.eventType }),
    ...(s.solutionConfig === undefined ? {} : { solutionConfig: s.solutionConfig }),
    trainingMode: request.trainingMode,
    trainingType: request.trainingType,
  };
  const record = newRecord(state, SOLUTION_VERSION, newVersionArn(state, solution.name), request.name ?? '', attrs, mergeTags([], request.tags ?? []));
  state.store.put(record);
  state.lifecycle.begin(record, trainingPhases(state.ctx.durations.training), { type: 'work' });
  return record;
}

function checkTrainingMode(state: ServiceState, solution: ResourceRecord<SolutionAttrs>, mode: TrainingMode): void {
  if (mode !== 'UPDATE') return;
  const recipe = recipeNameOf(solution.attrs);
  if (!UPDATABLE_RECIPES.has(recipe)) throw invalidInput(`trainingMode UPDATE is only supported for User-Personalization solutions; ${solution.arn} uses ${recipe}.`);
  if (!versionsOf(state, solution.arn).some((v) => v.status === 'ACTIVE' && v.attrs.trainingMode === 'FULL')) {
    throw invalidInput(`trainingMode UPDATE needs an ACTIVE solution version trained with trainingMode FULL on ${solution.arn}.`);
  }
}

function describe(record: ResourceRecord<SolutionVersionAttrs>): Record<string, unknown> {
  const a = record.attrs;
  return {
    ...(record.name === '' ? {} : { name: record.name }),
    solutionVersionArn: record.arn,
    solutionArn: a.solutionArn,
    performHPO: a.performHPO,
    performAutoML: a.performAutoML,
    ...(a.performIncrementalUpdate === undefined ? {} : { performIncrementalUpdate: a.performIncrementalUpdate }),
    ...(a.recipeArn === undefined ? {} : { recipeArn: a.recipeArn }),
    ...(a.eventType === undefined ? {} : { eventType: a.eventType }),
    datasetGroupArn: a.datasetGroupArn,
    ...(a.solutionConfig === undefined ? {} : { solutionConfig: a.solutionConfig }),
    ...(a.trainingHours === undefined ? {} : { trainingHours: a.trainingHours }),
    trainingMode: a.trainingMode,
    trainingType: a.trainingType,
    ...statusFields(record),
  };
}

function readMetrics(state: ServiceState, record: ResourceRecord<SolutionVersionAttrs>): Record<string, number> {
  const file = record.attrs.artifacts?.metrics;
  if (file === undefined) throw inUse(`Solution version ${record.arn} has no metrics.`);
  return (JSON.parse(readFileSync(join(state.store.dir, file), 'utf8')) as { metrics: Record<string, number> }).metrics;
}

function createInput(input: Input): VersionRequest {
  const name = input.optString('name');
  return {
    trainingMode: (input.optString('trainingMode') ?? 'FULL') as TrainingMode,
    trainingType: 'MANUAL',
    ...(name === undefined ? {} : { name }),
    tags: input.tags(),
  };
}

export const solutionVersionsModule: KindModule = {
  kind: SOLUTION_VERSION,
  hooks: (state) => {
    const trainer = trainerOf(state.store);
    trainer.sweep();
    return {
      work: (record, signal) => trainer.run(record as ResourceRecord<SolutionVersionAttrs>, signal),
      // Frees the idle training thread now rather than after its idle timeout.
      close: () => void trainer.close(),
      onStatus(raw) {
        const record = raw as ResourceRecord<SolutionVersionAttrs>;
        const { attrs } = record;
        if (record.status === 'CREATE IN_PROGRESS') attrs.trainingStartedAt = record.updatedAt;
        // Billed time is the time spent training, as it really passed in the emulator.
        if (record.status === 'ACTIVE' && attrs.trainingStartedAt !== undefined) attrs.trainingHours = (record.updatedAt - attrs.trainingStartedAt) / HOUR_MS;
      },
    };
  },
  operations: {
    CreateSolutionVersion: {
      input: structure({ name: NAME, solutionArn: required(ARN), trainingMode: { type: 'string', enum: ['FULL', 'UPDATE', 'AUTOTRAIN'] }, tags: TAGS }),
      run(state, input) {
        const solution = getSolution(state, input.string('solutionArn'));
        const request = createInput(input);
        if (request.name !== undefined && versionsOf(state, solution.arn).some((v) => v.name === request.name)) {
          throw new PersonalizeError('ResourceAlreadyExistsException', `A solution version named ${request.name} already exists for ${solution.arn}.`);
        }
        checkCanTrain(state, solution);
        checkTrainingMode(state, solution, request.trainingMode);
        const record = startVersion(state, solution, request);
        state.store.save();
        return { solutionVersionArn: record.arn };
      },
    },
    DescribeSolutionVersion: {
      input: structure({ solutionVersionArn: required(ARN) }),
      run(state, input) {
        return { solutionVersion: describe(getSolutionVersion(state, input.string('solutionVersionArn'))) };
      },
    },
    ListSolutionVersions: {
      input: structure({ solutionArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run(state, input) {
        const solutionArn = input.optString('solutionArn');
        if (solutionArn !== undefined) getSolution(state, solutionArn);
        return listRecords<SolutionVersionAttrs>(state, input, { operation: 'ListSolutionVersions', kind: SOLUTION_VERSION, parent: 'solutionArn', key: 'solutionVersions' }, versionSummary);
      },
    },
    StopSolutionVersionCreation: {
      input: structure({ solutionVersionArn: required(ARN) }),
      run(state, input) {
        const record = getSolutionVersion(state, input.string('solutionVersionArn'));
        const stopMs = state.ctx.durations.training / 10;
        if (record.status === 'CREATE PENDING') {
          state.lifecycle.begin(record, [{ status: 'CREATE STOPPED', ms: 0 }], { type: 'status', status: 'CREATE STOPPED' });
        } else if (record.status === 'CREATE IN_PROGRESS') {
          state.lifecycle.begin(record, [{ status: 'CREATE STOPPING', ms: stopMs }], { type: 'status', status: 'CREATE STOPPED' });
        } else {
          throw inUse(`Solution version ${record.arn} is in status ${record.status ?? 'unknown'}; only a version in CREATE PENDING or CREATE IN_PROGRESS can be stopped.`);
        }
        state.store.save();
        return {};
      },
    },
    GetSolutionMetrics: {
      input: structure({ solutionVersionArn: required(ARN) }),
      run(state, input) {
        const record = getSolutionVersion(state, input.string('solutionVersionArn'));
        if (record.status !== 'ACTIVE') throw inUse(`Solution version ${record.arn} is in status ${record.status ?? 'unknown'}; metrics exist only for ACTIVE versions.`);
        return { solutionVersionArn: record.arn, metrics: readMetrics(state, record) };
      },
    },
  },
};
