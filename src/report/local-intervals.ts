import { createReadStream } from 'node:fs';
import type { ColumnKind } from '../engine/data-builder.ts';
import { bootstrapCi, columnKindOf, evaluateRecipe, evaluationSeed, loadCsvData, parseRecipe } from '../engine/index.ts';
import type { EngineData, MetadataSource, UserMetricName } from '../engine/index.ts';
import type { AvroField, DatasetGroupSpec, DatasetKey, Manifest, SolutionSpec } from '../manifest/types.ts';
import { DATASET_TYPE_OF } from '../manifest/types.ts';
import type { HeldOutScores, Interval, Report, SolutionResult } from './types.ts';

export const RESAMPLES = 1000;
export const LEVEL = 0.95;
/** How close a recomputed mean must be to the reported metric (both are float64 means of the same values). */
const REPRODUCED = 1e-9;

/** How a schema field feeds the engine, by the rule the emulator's trainer uses too. */
function kindOf(field: AvroField): ColumnKind {
  const type = typeof field.type === 'string' ? field.type : (field.type.find((t) => t !== 'null') ?? 'null');
  return columnKindOf({ type, ...(field.categorical === undefined ? {} : { categorical: field.categorical }), ...(field.textual === undefined ? {} : { textual: field.textual }) });
}

function columnKinds(manifest: Manifest, group: DatasetGroupSpec, key: DatasetKey, solution: SolutionSpec): Record<string, ColumnKind> {
  const schema = manifest.schemas[group.datasets[key]?.schema ?? ''];
  const type = DATASET_TYPE_OF[key];
  const excluded = solution.trainingDataConfig?.excludedDatasetColumns?.[type];
  const included = solution.trainingDataConfig?.includedDatasetColumns?.[type];
  const kinds: Record<string, ColumnKind> = {};
  for (const field of schema?.avro.fields ?? []) {
    const name = field.name.toUpperCase();
    const dropped = excluded?.some((c) => c.toUpperCase() === name) === true || (included !== undefined && !included.some((c) => c.toUpperCase() === name));
    kinds[name] = dropped ? 'ignored' : kindOf(field);
  }
  return kinds;
}

async function loadGroup(manifest: Manifest, group: DatasetGroupSpec, solution: SolutionSpec): Promise<EngineData | undefined> {
  const interactions = group.datasets.interactions;
  if (interactions === undefined) return undefined;
  const meta = (key: 'items' | 'users'): { items?: MetadataSource } | { users?: MetadataSource } => {
    const d = group.datasets[key];
    return d === undefined ? {} : { [key]: { source: createReadStream(d.data), kinds: columnKinds(manifest, group, key, solution) } };
  };
  const loaded = await loadCsvData({ interactions: createReadStream(interactions.data), ...meta('items'), ...meta('users') });
  return loaded.ok ? loaded.value.data : undefined;
}

export interface LocalIntervals {
  readonly solutions: SolutionResult[];
  readonly meta: NonNullable<Report['intervals']>;
  /** The per-user metrics of every solution that got intervals, for paired differences. */
  readonly heldOut: ReadonlyMap<string, HeldOutScores>;
}

/**
 * Bootstrap confidence intervals for local runs: re-evaluates each measured version with the
 * engine on poc.yaml's data files, on the split the emulator used (`evaluationSeed` of the
 * interactions and event filter, so solutions on the same data share held-out users), and
 * resamples the held-out users. Only for versions whose data fingerprint is the one poc.yaml
 * would train now (`desiredFingerprints`), since older data would give other users and numbers;
 * coverage, a catalogue-wide share, gets no interval.
 */
export async function withLocalIntervals(manifest: Manifest, results: readonly SolutionResult[], desiredFingerprints: ReadonlyMap<string, string>): Promise<LocalIntervals> {
  const out: SolutionResult[] = [];
  const heldOut = new Map<string, HeldOutScores>();
  for (const result of results) {
    const spec = manifest.datasetGroups[result.group]?.solutions?.[result.key];
    const group = manifest.datasetGroups[result.group];
    const recipe = spec === undefined ? undefined : parseRecipe(spec.recipe);
    const current = result.version?.dataFingerprint !== undefined && result.version.dataFingerprint === desiredFingerprints.get(result.ref);
    if (result.metrics === undefined || result.version === undefined || spec === undefined || group === undefined || recipe === undefined || !current) {
      out.push(result);
      continue;
    }
    const data = await loadGroup(manifest, group, spec);
    if (data === undefined) {
      out.push(result);
      continue;
    }
    const threshold = spec.eventValueThreshold === undefined ? undefined : Number(spec.eventValueThreshold);
    const filter = { ...(spec.eventType === undefined ? {} : { eventType: spec.eventType }), ...(threshold === undefined ? {} : { eventValueThreshold: threshold }) };
    const seed = evaluationSeed(data, filter);
    const evaluation = evaluateRecipe({ recipe, data, params: spec.algorithmHyperParameters, seed, filter });
    if (!evaluation.ok) {
      out.push(result);
      continue;
    }
    const intervals: Record<string, Interval> = {};
    for (const [metric, reported] of Object.entries(result.metrics)) {
      if (metric === 'coverage') continue;
      const ci = bootstrapCi(evaluation.value.perUser, metric as UserMetricName, { seed, resamples: RESAMPLES, level: LEVEL });
      // Only when the recomputation reproduces the reported number is the interval about it.
      if (Math.abs(ci.mean - reported) <= REPRODUCED) intervals[metric] = { lower: ci.lower, upper: ci.upper, level: ci.level };
    }
    if (Object.keys(intervals).length === 0) {
      out.push(result);
      continue;
    }
    out.push({ ...result, intervals });
    heldOut.set(result.ref, { seed, users: evaluation.value.perUser });
  }
  return { solutions: out, meta: { method: 'bootstrap', resamples: RESAMPLES, level: LEVEL, over: 'held-out users' }, heldOut };
}
