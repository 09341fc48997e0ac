import { CUTOFFS, USER_METRIC_NAMES, userMetrics } from './metrics.ts';
import type { MetricName, UserMetricName } from './metrics.ts';
import { familyOf, parseRecipe } from './recipes.ts';
import { selectRows } from './sparse.ts';
import { splitForEvaluation } from './split.ts';
import { trainOnRows } from './train.ts';
import type { EngineData, EngineResult, TrainOptions } from './types.ts';

/** One held-out user's metrics. */
export interface UserEvaluation extends Readonly<Record<UserMetricName, number>> {
  readonly userId: string;
  readonly relevant: number;
}

/**
 * Offline metrics as GetSolutionMetrics reports them (means over held-out users, and coverage)
 * with the per-user values behind them, for confidence intervals.
 */
export interface Evaluation {
  readonly metrics: Readonly<Record<MetricName, number>>;
  readonly perUser: readonly UserEvaluation[];
}

export interface EvaluateOptions extends TrainOptions {
  /** Evaluate only this many of the held-out users (a seeded sample), to bound time on big data. */
  readonly maxUsers?: number;
}

const MAX_K = Math.max(...CUTOFFS);

/**
 * The latest evaluation per data object. Recipes of one family train the same model
 * (personalized-ranking is user-personalization's model), so evaluating both on the same data,
 * seed, parameters and filter would repeat identical work. Weakly held: it goes with the data.
 */
const latest = new WeakMap<EngineData, { key: string; evaluation: Evaluation }>();

function cacheKey(options: EvaluateOptions, family: string): string {
  const params = Object.entries(options.params ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([family, options.seed ?? 0, options.maxUsers ?? null, options.filter?.eventType ?? null, options.filter?.eventValueThreshold ?? null, params]);
}

/**
 * Trains the recipe on Personalize's split (see {@link splitForEvaluation}) and scores each
 * held-out user's top 25 against their newest events. Every family is asked the same question,
 * "what next for this user": SIMS answers from the neighbours of the user's latest items and
 * personalized ranking ranks the whole catalogue, so the numbers compare across recipes.
 * Coverage is the share of catalogue items (Interactions and Items) in any held-out user's top 25.
 */
export function evaluateRecipe(options: EvaluateOptions): EngineResult<Evaluation> {
  const recipe = parseRecipe(options.recipe);
  if (recipe === undefined) return { ok: false, failure: { code: 'unknown-recipe', message: `The engine has no model for recipe ${options.recipe}.` } };
  const key = cacheKey(options, familyOf(recipe));
  const cached = latest.get(options.data);
  if (cached?.key === key) return { ok: true, value: cached.evaluation };
  const selected = selectRows(options.data, options.filter);
  if ('failure' in selected) return { ok: false, failure: selected.failure };
  const split = splitForEvaluation(options.data, selected.rows, options.seed ?? 0);
  const trained = trainOnRows(recipe, options.data, split.train, options.params);
  if (!trained.ok) return trained;
  const model = trained.value;
  const limit = Math.min(split.users.length, options.maxUsers ?? split.users.length);
  const recommendedItems = new Set<number>();
  const perUser: UserEvaluation[] = [];
  for (let k = 0; k < limit; k++) {
    const user = split.users[k] as number;
    const relevant = split.truth[k] as ReadonlySet<number>;
    const top = model.topIndices(user, MAX_K);
    for (const i of top) recommendedItems.add(i);
    perUser.push({ userId: options.data.users.idOf(user), relevant: relevant.size, ...userMetrics(top, relevant) });
  }
  const mean = (name: UserMetricName): number => (perUser.length === 0 ? 0 : perUser.reduce((s, u) => s + u[name], 0) / perUser.length);
  const metrics = Object.fromEntries([
    ['coverage', options.data.items.size === 0 ? 0 : recommendedItems.size / options.data.items.size],
    ...USER_METRIC_NAMES.map((name) => [name, mean(name)]),
  ]) as Record<MetricName, number>;
  const evaluation: Evaluation = { metrics, perUser };
  latest.set(options.data, { key, evaluation });
  return { ok: true, value: evaluation };
}
