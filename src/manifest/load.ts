import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { error, hasErrors } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { fileProblem, resolvePaths } from './files.ts';
import type { ManifestContext } from './files.ts';
import { applyEnvironment, checkEnvironments, environmentKeys, unknownEnvironment } from './environments.ts';
import { defaultStackName } from './naming.ts';
import { checkAgainstSchema } from './schema-check.ts';
import { checkSemantics } from './semantic-check.ts';
import { DATASET_KEYS, DATASET_TYPE_OF } from './types.ts';
import type { DatasetGroupSpec, DatasetKey, DatasetSpec, Domain, EnvironmentSpec, EvaluationSpec, ImportMode, Manifest, SchemaSpec } from './types.ts';
import { parseYamlSource } from './yaml-source.ts';
import { buildEvaluation, buildSolutions } from './solutions.ts';
import { buildServing, checkServing } from './serving.ts';
import type { RawServing } from './serving.ts';
import { buildRecommenders, checkRecommenders } from './recommenders.ts';
import { buildBatch, checkBatch } from './batch.ts';
import type { BatchInputHashes, RawBatch } from './batch.ts';
import type { RawRecommender } from './recommenders.ts';
import type { RawEvaluation, RawSolution } from './solutions.ts';

/** What loading a manifest yields: the typed manifest only when there is no error at all. */
export interface LoadResult {
  readonly manifest?: Manifest;
  /** Every problem found, errors and warnings, ordered by position. */
  readonly diagnostics: readonly Diagnostic[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface LoadManifestOptions {
  /** The `environments` key to deploy (`--env`); without it the top level applies as written. */
  readonly env?: string;
}

/**
 * Loads and validates poc.yaml: YAML syntax (with positions), then the JSON Schema, then the
 * semantic checks (references, files, region, generated names). Never throws for bad input and
 * never stops at the first problem. `file` is shown in diagnostics as given, so pass it the way
 * the user wrote it.
 */
/**
 * Far above any real POC (the example is 3 KiB), far below what exhausts the heap in the YAML
 * parser (64 MiB did): a larger file is a mistake, refused before it is read.
 */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export async function loadManifest(file: string, options: LoadManifestOptions = {}): Promise<LoadResult> {
  const problem = await fileProblem(resolve(file));
  if (problem !== undefined) {
    return { diagnostics: [error(`manifest-${problem.code}`, `${file} ${problem.message}`, { file })] };
  }
  const size = (await stat(resolve(file))).size;
  if (size > MAX_MANIFEST_BYTES) {
    return { diagnostics: [error('manifest-too-large', `${file} is ${(size / 1024 / 1024).toFixed(1)} MiB; a manifest is at most ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`, { file, hint: 'Data belongs in the CSV files poc.yaml names, not in poc.yaml.' })] };
  }
  let text: string;
  try {
    text = utf8.decode(await readFile(file));
  } catch {
    return { diagnostics: [error('manifest-not-utf8', `${file} is not UTF-8 text`, { file })] };
  }
  return parseManifest(text, file, options);
}

/** As {@link loadManifest}, for text already in memory; relative paths resolve against `file`'s directory. */
export async function parseManifest(text: string, file: string, options: LoadManifestOptions = {}): Promise<LoadResult> {
  const source = parseYamlSource(text, file);
  if (hasErrors(source.diagnostics)) return { diagnostics: source.diagnostics };
  if (source.value === undefined) {
    return { diagnostics: [...source.diagnostics, error('manifest-empty', `${file} is empty`, { file, line: 1, column: 1 })] };
  }
  const absolute = resolve(file);
  const ctx: ManifestContext = { source, displayFile: file, baseDir: dirname(absolute) };
  const schemaDiagnostics = checkAgainstSchema(source);
  const semantic = await checkSemantics(source.value, ctx);
  const batch = await checkBatch(source.value, ctx);
  const diagnostics = [...source.diagnostics, ...schemaDiagnostics, ...semantic.diagnostics, ...checkServing(source.value, ctx, text), ...checkRecommenders(source.value, ctx), ...batch.diagnostics, ...checkEnvironments(source.value, source)].sort(byPosition);
  const env = options.env;
  if (env !== undefined && !environmentKeys(source.value).includes(env)) diagnostics.push(unknownEnvironment(source.value, env, source));
  if (hasErrors(diagnostics)) return { diagnostics };
  const raw = (env === undefined ? source.value : applyEnvironment(source.value, env)) as RawManifest;
  const built = buildManifest(raw, semantic.schemas, ctx, text, absolute, batch.hashes);
  const manifest: Manifest = env === undefined ? built : { ...built, selectedEnvironment: env };
  return { manifest, diagnostics };
}

/** Checks on files finish in any order; the output must not depend on it. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code);
}

/** The document's shape once it has passed the JSON Schema. */
interface RawManifest {
  version: 1;
  name: string;
  region: string;
  environment?: { stack?: { name?: string; kmsKeyArn?: string }; existing?: { bucket: string; roleArn: string } };
  schemas: Record<string, string | { file: string; name?: string }>;
  datasetGroups: Record<string, { name?: string; kmsKeyArn?: string; domain?: Domain; protect?: boolean; datasets: Partial<Record<DatasetKey, { schema: string; data: string; importMode?: ImportMode; name?: string; importedFrom?: string }>>; solutions?: Record<string, RawSolution>; recommenders?: Record<string, RawRecommender> } & RawServing & RawBatch>;
  evaluation?: RawEvaluation;
  prune?: boolean;
  validation?: { thresholds?: Record<string, number>; maxErrors?: number };
}

function buildManifest(raw: RawManifest, schemas: ReadonlyMap<string, SchemaSpec>, ctx: ManifestContext, text: string, absolute: string, batchHashes: BatchInputHashes): Manifest {
  const datasetGroups: Record<string, DatasetGroupSpec> = {};
  for (const [groupKey, group] of Object.entries(raw.datasetGroups)) {
    const datasets: Partial<Record<DatasetKey, DatasetSpec>> = {};
    for (const key of DATASET_KEYS) {
      const d = group.datasets[key];
      if (d === undefined) continue;
      datasets[key] = {
        key,
        type: DATASET_TYPE_OF[key],
        schema: d.schema,
        data: resolvePaths(d.data, ctx).absolute,
        dataAsWritten: d.data,
        importMode: d.importMode ?? 'FULL',
        ...(d.name === undefined ? {} : { name: d.name }),
        ...(d.importedFrom === undefined ? {} : { importedFrom: d.importedFrom }),
        at: ctx.source.locateKey(['datasetGroups', groupKey, 'datasets', key]),
      };
    }
    datasetGroups[groupKey] = {
      key: groupKey,
      ...(group.name !== undefined ? { name: group.name } : {}),
      ...(group.kmsKeyArn !== undefined ? { kmsKeyArn: group.kmsKeyArn } : {}),
      ...(group.domain !== undefined ? { domain: group.domain } : {}),
      datasets,
      protect: group.protect ?? false,
      at: ctx.source.locateKey(['datasetGroups', groupKey]),
      solutions: buildSolutions(groupKey, group.solutions, ctx),
      ...buildServing(groupKey, group, ctx),
      ...buildRecommenders(groupKey, group.recommenders, ctx),
      ...buildBatch(groupKey, group, ctx, batchHashes),
    };
  }
  return {
    version: 1,
    name: raw.name,
    region: raw.region,
    environment: environmentOf(raw),
    schemas: Object.fromEntries([...schemas].map(([key, spec]) => [key, withName(withDomain(spec, raw), raw)])),
    datasetGroups,
    prune: raw.prune ?? false,
    validation: {
      thresholds: raw.validation?.thresholds ?? {},
      ...(raw.validation?.maxErrors !== undefined ? { maxErrors: raw.validation.maxErrors } : {}),
    },
    source: { file: absolute, baseDir: ctx.baseDir, text, locate: (path) => ctx.source.locate(path) },
    ...evaluationOf(raw, ctx),
  };
}

function withDomain(spec: SchemaSpec, raw: RawManifest): SchemaSpec {
  const user = Object.values(raw.datasetGroups).find((g) => Object.values(g.datasets).some((d) => d?.schema === spec.key));
  return user?.domain === undefined ? spec : { ...spec, domain: user.domain };
}

/** `schemas.<key>` written as `{ file, name }` names a schema made elsewhere. */
function withName(spec: SchemaSpec, raw: RawManifest): SchemaSpec {
  const entry = raw.schemas[spec.key];
  return typeof entry === 'object' && entry.name !== undefined ? { ...spec, name: entry.name } : spec;
}

function environmentOf(raw: RawManifest): EnvironmentSpec {
  const existing = raw.environment?.existing;
  if (existing !== undefined) return { mode: 'existing', bucket: existing.bucket, roleArn: existing.roleArn };
  const stack = raw.environment?.stack;
  return {
    mode: 'stack',
    stackName: stack?.name ?? defaultStackName(raw.name),
    ...(stack?.kmsKeyArn !== undefined ? { kmsKeyArn: stack.kmsKeyArn } : {}),
  };
}

function evaluationOf(raw: RawManifest, ctx: ManifestContext): { evaluation?: EvaluationSpec } {
  const evaluation = buildEvaluation(raw.evaluation, ctx);
  return evaluation === undefined ? {} : { evaluation };
}
