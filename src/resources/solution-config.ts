import type { HpoSpec, SolutionSpec } from '../manifest/types.ts';
import type { Json, Props } from './kind.ts';

/**
 * The solution's fields as both sides of a diff see them, in one pure place: the compiler builds
 * the desired properties from the manifest, the solution kind builds the observed ones from
 * DescribeSolution, and both go through {@link compact} so an omitted setting, `{}` and `null`
 * compare equal.
 */

/** Fields the service fixes at creation: a change replaces the solution (and retrains). */
export const SOLUTION_TRAINING_FIELDS = [
  'recipe',
  'eventType',
  'performHPO',
  'hpoConfig',
  'eventValueThreshold',
  'algorithmHyperParameters',
  'featureTransformationParameters',
  'trainingDataConfig',
] as const;

/** Fields UpdateSolution changes in place. */
export const SOLUTION_UPDATABLE_FIELDS = ['performAutoTraining', 'autoTrainingSchedule'] as const;

/** Drops undefined, null, empty objects and empty arrays at every depth; null when nothing is left. */
export function compact(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    const items = value.map(compact).filter((v) => v !== null);
    return items.length === 0 ? null : items;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = compact(v);
      if (c !== null) out[k] = c;
    }
    return Object.keys(out).length === 0 ? null : out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** CreateSolution's `solutionConfig.hpoConfig` for the manifest's HPO settings (counts as strings). */
export function hpoConfigOf(hpo: HpoSpec | undefined): Json {
  if (hpo === undefined) return null;
  const r = hpo.resources;
  return compact({
    hpoObjective: hpo.objective,
    hpoResourceConfig: r === undefined ? undefined : {
      maxNumberOfTrainingJobs: r.maxNumberOfTrainingJobs === undefined ? undefined : String(r.maxNumberOfTrainingJobs),
      maxParallelTrainingJobs: r.maxParallelTrainingJobs === undefined ? undefined : String(r.maxParallelTrainingJobs),
    },
    algorithmHyperParameterRanges: hpo.ranges === undefined ? undefined : {
      integerHyperParameterRanges: hpo.ranges.integer,
      continuousHyperParameterRanges: hpo.ranges.continuous,
      categoricalHyperParameterRanges: hpo.ranges.categorical,
    },
  });
}

/** The desired solution properties, minus its group (which the compiler adds by name). */
export function solutionProperties(spec: SolutionSpec): Props {
  return {
    recipe: spec.recipeArn,
    eventType: spec.eventType ?? null,
    performHPO: spec.hpo !== undefined,
    hpoConfig: hpoConfigOf(spec.hpo),
    eventValueThreshold: spec.eventValueThreshold ?? null,
    algorithmHyperParameters: compact(spec.algorithmHyperParameters),
    featureTransformationParameters: compact(spec.featureTransformationParameters),
    trainingDataConfig: compact(spec.trainingDataConfig),
    performAutoTraining: spec.autoTraining,
    autoTrainingSchedule: spec.autoTraining ? (spec.autoTrainingSchedule ?? null) : null,
  };
}

/** What a version is trained with, from the solution's desired properties: part of its data fingerprint. */
export function trainingConfigOf(properties: Props): Props {
  return Object.fromEntries(SOLUTION_TRAINING_FIELDS.map((f) => [f, properties[f] ?? null]));
}
