import { createReadStream } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/index.ts';
import { validateAvroSchema } from '../data/avro-schema.ts';
import { checkDomainSchema } from '../data/domain-rules.ts';
import { manifestDigest, sha256File } from '../data/fingerprint.ts';
import { resolveThresholds } from '../data/thresholds.ts';
import { validateDatasetGroup } from '../data/dataset-group.ts';
import type { DataFileResult, DatasetGroupReport } from '../data/types.ts';
import { validateDataFile } from '../data/validate-file.ts';
import { loadManifest, type LoadResult, type Manifest } from '../manifest/index.ts';
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
  readonly dataReports: readonly GroupDataReport[];
}

/** Data validation of one dataset group: its files (shared files are validated once) and the cross-file rules. */
export interface GroupDataReport {
  readonly group: string;
  readonly report: DatasetGroupReport;
}

export interface InputsResult {
  readonly inputs?: PocInputs;
  readonly manifest?: Manifest;
  readonly dataReports: readonly GroupDataReport[];
  /** Every problem found, in one pass: manifest, schemas, data. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Bound on detailed findings per data file. */
  readonly maxErrors?: number;
  /** The `environments` key to load the manifest for (`--env`). */
  readonly env?: string;
}

/** Loads poc.yaml (`file`, relative to `cwd`) for the `environments` key `env`, without reading its data files. */
export function loadUserManifest(file: string, cwd: string, env: string | undefined): Promise<LoadResult> {
  // The loader reports paths as given; given relative to the process, they read as the user typed them.
  return loadManifest(relative(process.cwd(), resolve(cwd, file)) || file, env === undefined ? {} : { env });
}

/** Loads and checks poc.yaml, its schemas and its data files; hashes the data; compiles the graph. */
export async function loadInputs(file: string, cwd: string, options: LoadOptions = {}): Promise<InputsResult> {
  const loaded = await loadUserManifest(file, cwd, options.env);
  const manifest = loaded.manifest;
  if (manifest === undefined) return { dataReports: [], diagnostics: loaded.diagnostics };
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const shown = (path: string): string => relative(cwd, path) || path;

  for (const schema of Object.values(manifest.schemas)) {
    diagnostics.push(...validateAvroSchema(schema.avro, shown(schema.file), schema.datasetType));
    // A schema serves at most one domain (the manifest checks guarantee it), so its rules are that domain's.
    if (schema.domain !== undefined) diagnostics.push(...checkDomainSchema(schema.avro, schema.domain, schema.datasetType, shown(schema.file)));
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
  const [results, hashes] = await Promise.all([
    Promise.all(
      [...jobs.entries()].map(async ([key, { data, schemaKey }]) => {
        const schema = manifest.schemas[schemaKey];
        if (schema === undefined) throw new Error(`unresolved schema '${schemaKey}' passed the manifest checks`);
        const input = createReadStream(data, { highWaterMark: 1 << 20 });
        const result = await validateDataFile({ file: shown(data), input, schema: schema.avro, datasetType: schema.datasetType, thresholds, ...(schema.domain === undefined ? {} : { domain: schema.domain }), ...(maxErrors === undefined ? {} : { maxErrors }) });
        return [key, result] as const;
      }),
    ),
    Promise.all(distinctFiles.map(async (path) => [path, await sha256File(path)] as const)),
  ]);
  const byJob = new Map<string, DataFileResult>(results);
  for (const result of byJob.values()) diagnostics.push(...result.findings);
  const dataReports: GroupDataReport[] = [];
  for (const [groupKey, group] of Object.entries(manifest.datasetGroups)) {
    const files: { interactions?: DataFileResult; items?: DataFileResult; users?: DataFileResult } = {};
    for (const dataset of Object.values(group.datasets)) {
      const result = dataset === undefined ? undefined : byJob.get(`${dataset.data}\u0000${dataset.schema}`);
      if (dataset !== undefined && result !== undefined) files[dataset.key] = result;
    }
    const interactionsSchema = group.datasets.interactions === undefined ? undefined : manifest.schemas[group.datasets.interactions.schema]?.avro;
    const groupFindings = validateDatasetGroup(files, { thresholds, ...(group.domain === undefined ? {} : { domain: group.domain }), ...(interactionsSchema === undefined ? {} : { interactionsSchema }) }).map((f) => ({ ...f, path: f.path === undefined ? `datasetGroups.${groupKey}` : `datasetGroups.${groupKey}: ${f.path}` }));
    diagnostics.push(...groupFindings);
    dataReports.push({ group: groupKey, report: { files: Object.values(files), group: groupFindings } });
  }
  if (hasErrors(diagnostics)) return { manifest, dataReports, diagnostics };

  const dataHashes = new Map(hashes);
  const graph = compileDesiredGraph(manifest, { dataHashes });
  return {
    inputs: {
      manifest,
      manifestPath: shown(manifest.source.file),
      dataHashes,
      digest: manifestDigest(manifest, Object.fromEntries(dataHashes)),
      graph,
      dataReports,
    },
    manifest,
    dataReports,
    diagnostics,
  };
}
