import { createReadStream } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/index.ts';
import { validateAvroSchema } from '../data/avro-schema.ts';
import { manifestDigest, sha256File } from '../data/fingerprint.ts';
import { resolveThresholds } from '../data/thresholds.ts';
import type { DataFileResult } from '../data/types.ts';
import { validateDataFile } from '../data/validate-file.ts';
import { loadManifest, type Manifest } from '../manifest/index.ts';
import { compileDesiredGraph } from '../plan/compile.ts';
import type { DesiredGraph } from '../plan/graph.ts';

/**
 * Everything a command needs from the user's files, checked: the typed manifest, the data
 * validation results, content hashes and the desired graph. Only built when nothing has an error,
 * so no command can act on input it would have rejected.
 */
export interface PocInputs {
  readonly manifest: Manifest;
  /** The manifest path as the user wrote it (relative paths stay relative in plans and messages). */
  readonly manifestPath: string;
  readonly dataHashes: ReadonlyMap<string, string>;
  readonly digest: string;
  readonly graph: DesiredGraph;
  readonly dataResults: readonly DataFileResult[];
}

export interface InputsResult {
  readonly inputs?: PocInputs;
  readonly manifest?: Manifest;
  readonly dataResults: readonly DataFileResult[];
  /** Every problem found, in one pass: manifest, schemas, data. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Bound on detailed findings per data file. */
  readonly maxErrors?: number;
}

/** Loads and checks poc.yaml, its schemas and its data files; hashes the data; compiles the graph. */
export async function loadInputs(file: string, cwd: string, options: LoadOptions = {}): Promise<InputsResult> {
  // The loader reports paths as given; given relative to the process, they read as the user typed them.
  const loaded = await loadManifest(relative(process.cwd(), resolve(cwd, file)) || file);
  const manifest = loaded.manifest;
  if (manifest === undefined) return { dataResults: [], diagnostics: loaded.diagnostics };
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const shown = (path: string): string => relative(cwd, path) || path;

  for (const schema of Object.values(manifest.schemas)) {
    diagnostics.push(...validateAvroSchema(schema.avro, shown(schema.file), schema.datasetType));
  }
  const thresholds = resolveThresholds(manifest.validation.thresholds);
  const maxErrors = options.maxErrors ?? manifest.validation.maxErrors;
  // A file used by several dataset groups with the same schema is read once.
  const jobs = new Map<string, { data: string; schemaKey: string }>();
  for (const group of Object.values(manifest.datasetGroups)) {
    for (const dataset of Object.values(group.datasets)) {
      if (dataset !== undefined) jobs.set(`${dataset.data}\u0000${dataset.schema}`, { data: dataset.data, schemaKey: dataset.schema });
    }
  }
  const distinctFiles = [...new Set([...jobs.values()].map((j) => j.data))];
  const [dataResults, hashes] = await Promise.all([
    Promise.all(
      [...jobs.values()].map(async ({ data, schemaKey }) => {
        const schema = manifest.schemas[schemaKey];
        if (schema === undefined) throw new Error(`unresolved schema '${schemaKey}' passed the manifest checks`);
        return validateDataFile({ file: shown(data), input: createReadStream(data, { highWaterMark: 1 << 20 }), schema: schema.avro, datasetType: schema.datasetType, thresholds, ...(maxErrors === undefined ? {} : { maxErrors }) });
      }),
    ),
    Promise.all(distinctFiles.map(async (path) => [path, await sha256File(path)] as const)),
  ]);
  for (const result of dataResults) diagnostics.push(...result.findings);
  if (hasErrors(diagnostics)) return { manifest, dataResults, diagnostics };

  const dataHashes = new Map(hashes);
  const graph = compileDesiredGraph(manifest, { dataHashes });
  return {
    inputs: {
      manifest,
      manifestPath: shown(manifest.source.file),
      dataHashes,
      digest: manifestDigest(manifest, Object.fromEntries(dataHashes)),
      graph,
      dataResults,
    },
    manifest,
    dataResults,
    diagnostics,
  };
}
