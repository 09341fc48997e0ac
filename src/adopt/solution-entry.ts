import type { HPOConfig, Solution, TrainingDataConfig } from '@aws-sdk/client-personalize';
import { warning, type Diagnostic } from '../diagnostics/index.ts';
import { isCustomRecipe, recipeNameOf } from '../manifest/recipes.ts';
import { DEFAULT_AUTO_TRAINING_SCHEDULE } from '../manifest/solutions.ts';
import { newestManual } from '../resources/solution-lists.ts';
import type { Entry, SolutionSnapshot } from './types.ts';

/**
 * One solution as poc.yaml writes it. `entry` is absent when poc.yaml cannot describe it (then
 * `diagnostics` holds a warning naming it and `note` the comment left in its place); `notes` are
 * comments for the entry's keys.
 */
export interface SolutionEntry {
  readonly entry?: Entry;
  readonly notes: Readonly<Record<string, string>>;
  readonly note?: string;
  readonly diagnostics: readonly Diagnostic[];
}

const EVENT_VALUE = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * The manifest's view of a solution as the service describes it, changing nothing that bills:
 * automatic training stays as it is, HPO too. `retrain: manual`, so the version already trained
 * satisfies poc.yaml. `name` is the override to write (absent when the generated name is its name).
 */
export function solutionEntry(snapshot: SolutionSnapshot, name: string | undefined, path: string): SolutionEntry {
  const s = snapshot.solution;
  const label = `solution "${s.name ?? '?'}"`;
  if (s.performAutoML === true) return unsupported(label, path, 'uses AutoML (performAutoML), which poc.yaml cannot describe', 'AutoML picks its recipe itself; poc.yaml names one recipe per solution');
  const recipe = s.recipeArn === undefined ? undefined : recipeNameOf(s.recipeArn);
  if (recipe === undefined || !isCustomRecipe(recipe)) return unsupported(label, path, `uses recipe ${s.recipeArn ?? '(none)'}, which is not a custom recipe poc.yaml knows`, 'poc.yaml solutions take the custom recipes listed in schemas/poc.schema.json');
  const config = s.solutionConfig ?? {};
  const threshold = config.eventValueThreshold;
  if (threshold !== undefined && !EVENT_VALUE.test(threshold)) return unsupported(label, path, `has eventValueThreshold "${threshold}", which is not a number`, 'poc.yaml takes a number');
  const entry: Entry = {
    ...(name === undefined ? {} : { name }),
    recipe,
    ...(s.eventType === undefined ? {} : { eventType: s.eventType }),
    ...(threshold === undefined ? {} : { eventValueThreshold: threshold }),
    ...(s.performHPO === true ? { hpo: hpoOf(config.hpoConfig) } : {}),
    ...nonEmpty('algorithmHyperParameters', config.algorithmHyperParameters),
    ...nonEmpty('featureTransformationParameters', config.featureTransformationParameters),
    ...trainingDataOf(config.trainingDataConfig),
    ...autoTrainingOf(s),
    retrain: 'manual',
  };
  const notes: Record<string, string> = {
    retrain: ' manual: the version trained in the console counts; on-data-change would retrain when data/*.csv changes.',
  };
  const diagnostics: Diagnostic[] = [];
  if (entry['autoTraining'] !== undefined) {
    notes['autoTraining'] = ' Automatic training is ON, as in the console: the service trains (and bills) a new version on this schedule. `autoTraining: false` turns it off.';
  }
  if (s.performHPO === true) notes['hpo'] = ' HPO is on, as in the console: every version trains several models, each billed as training.';
  const newest = newestManual(snapshot.versions);
  if (newest?.status !== 'ACTIVE') {
    const what = newest === undefined ? 'has no version trained on request' : `has a newest version in status ${newest.status ?? 'UNKNOWN'}`;
    diagnostics.push(warning('solution-not-trained', `${label} ${what}: the first apply trains one (billed as training)`, { path }));
  }
  return { entry, notes, diagnostics };
}

function unsupported(label: string, path: string, why: string, hint: string): SolutionEntry {
  return {
    notes: {},
    note: ` Not adopted: ${label} ${why}. It stays in the account; poc.yaml neither manages nor deletes it.`,
    diagnostics: [warning('solution-not-adopted', `${label} ${why}; it is left out of poc.yaml (see the comment there)`, { path, hint })],
  };
}

function nonEmpty(key: string, map: Record<string, string> | undefined): Entry {
  return map === undefined || Object.keys(map).length === 0 ? {} : { [key]: { ...map } };
}

function count(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** The inverse of resources/solution-config.ts `hpoConfigOf`: counts back to numbers. */
function hpoOf(hpo: HPOConfig | undefined): true | Entry {
  if (hpo === undefined) return true;
  const objective = hpo.hpoObjective;
  const resources = hpo.hpoResourceConfig;
  const ranges = hpo.algorithmHyperParameterRanges;
  const out: Entry = {
    ...(objective === undefined ? {} : { objective: { ...objective } }),
    ...(resources === undefined
      ? {}
      : {
          resources: {
            ...(resources.maxNumberOfTrainingJobs === undefined ? {} : { maxNumberOfTrainingJobs: count(resources.maxNumberOfTrainingJobs) }),
            ...(resources.maxParallelTrainingJobs === undefined ? {} : { maxParallelTrainingJobs: count(resources.maxParallelTrainingJobs) }),
          },
        }),
    ...(ranges === undefined
      ? {}
      : {
          ranges: {
            ...(ranges.integerHyperParameterRanges === undefined ? {} : { integer: ranges.integerHyperParameterRanges }),
            ...(ranges.continuousHyperParameterRanges === undefined ? {} : { continuous: ranges.continuousHyperParameterRanges }),
            ...(ranges.categoricalHyperParameterRanges === undefined ? {} : { categorical: ranges.categoricalHyperParameterRanges }),
          },
        }),
  };
  return Object.keys(out).length === 0 ? true : out;
}

/** trainingDataConfig's column lists as poc.yaml writes them (solutions and recommenders alike); empty ones left out. */
export function trainingDataOf(config: TrainingDataConfig | undefined): Entry {
  const out: Entry = {
    ...nonEmptyColumns('excludedDatasetColumns', config?.excludedDatasetColumns),
    ...nonEmptyColumns('includedDatasetColumns', config?.includedDatasetColumns),
  };
  return Object.keys(out).length === 0 ? {} : { trainingDataConfig: out };
}

function nonEmptyColumns(key: string, columns: Record<string, string[]> | undefined): Entry {
  return columns === undefined || Object.keys(columns).length === 0 ? {} : { [key]: columns };
}

/** The service turns automatic training on unless told otherwise: absent means on. */
function autoTrainingOf(s: Solution): Entry {
  if (s.performAutoTraining === false) return {};
  const schedule = s.solutionConfig?.autoTrainingConfig?.schedulingExpression ?? DEFAULT_AUTO_TRAINING_SCHEDULE;
  return { autoTraining: { schedule } };
}
