import type { ManifestContext } from './files.ts';
import { recipeArnOf, recipeNameOf } from './recipes.ts';
import type { EvaluationSpec, GateSpec, HpoSpec, RetrainPolicy, SolutionSpec } from './types.ts';

/** A solution as written in poc.yaml once it has passed the JSON Schema. */
export interface RawSolution {
  recipe: string;
  name?: string;
  eventType?: string;
  eventValueThreshold?: number | string;
  hpo?: boolean | HpoSpec;
  algorithmHyperParameters?: Record<string, string | number | boolean>;
  featureTransformationParameters?: Record<string, string | number | boolean>;
  trainingDataConfig?: SolutionSpec['trainingDataConfig'];
  autoTraining?: boolean | { schedule: string };
  retrain?: RetrainPolicy;
  protect?: boolean;
}

export interface RawEvaluation {
  baseline?: string;
  gates?: { name?: string; solution: string; metric: string; beats?: string; by?: number; min?: number }[];
}

/** The service's default schedule when automatic training is on without one. */
export const DEFAULT_AUTO_TRAINING_SCHEDULE = 'rate(7 days)';

function strings(map: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Typed solutions of one group; recipes as ARNs, hyperparameters as strings, automatic training explicit. */
export function buildSolutions(groupKey: string, raw: Record<string, RawSolution> | undefined, ctx: ManifestContext): Record<string, SolutionSpec> {
  const out: Record<string, SolutionSpec> = {};
  for (const [key, s] of Object.entries(raw ?? {})) {
    const recipe = recipeNameOf(s.recipe) ?? s.recipe;
    const auto = s.autoTraining;
    out[key] = {
      key,
      ...(s.name === undefined ? {} : { name: s.name }),
      group: groupKey,
      recipe,
      recipeArn: recipeArnOf(recipe),
      ...(s.eventType === undefined ? {} : { eventType: s.eventType }),
      ...(s.eventValueThreshold === undefined ? {} : { eventValueThreshold: String(s.eventValueThreshold) }),
      ...(s.hpo === undefined || s.hpo === false ? {} : { hpo: s.hpo === true ? {} : s.hpo }),
      algorithmHyperParameters: strings(s.algorithmHyperParameters),
      featureTransformationParameters: strings(s.featureTransformationParameters),
      ...(s.trainingDataConfig === undefined ? {} : { trainingDataConfig: s.trainingDataConfig }),
      autoTraining: auto !== undefined && auto !== false,
      ...(auto === undefined || auto === false ? {} : { autoTrainingSchedule: auto === true ? DEFAULT_AUTO_TRAINING_SCHEDULE : auto.schedule }),
      retrain: s.retrain ?? 'on-data-change',
      protect: s.protect ?? false,
      at: ctx.source.locateKey(['datasetGroups', groupKey, 'solutions', key]),
    };
  }
  return out;
}

export function buildEvaluation(raw: RawEvaluation | undefined, ctx: ManifestContext): EvaluationSpec | undefined {
  if (raw === undefined) return undefined;
  const gates = (raw.gates ?? []).map((g, i): GateSpec => {
    const at = ctx.source.locate(['evaluation', 'gates', i]);
    if (g.beats !== undefined) {
      const byPercent = g.by ?? 0;
      const name = g.name ?? `${g.solution} beats ${g.beats} on ${g.metric}${byPercent > 0 ? ` by ${byPercent}%` : ''}`;
      return { kind: 'beats', name, solution: g.solution, metric: g.metric, other: g.beats, byPercent, at };
    }
    const min = g.min ?? 0;
    return { kind: 'min', name: g.name ?? `${g.solution} ${g.metric} >= ${min}`, solution: g.solution, metric: g.metric, min, at };
  });
  return { ...(raw.baseline === undefined ? {} : { baseline: raw.baseline }), gates };
}
