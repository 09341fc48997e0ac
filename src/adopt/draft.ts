import { createHash } from 'node:crypto';
import { error, warning, type Diagnostic } from '../diagnostics/index.ts';
import { checkName, datasetName, longestGroupName, schemaName, solutionName } from '../manifest/naming.ts';
import { nameOfArn } from '../resources/arn.ts';
import { splitS3Uri } from '../resources/adopted-object.ts';
import { canonicalBody } from '../resources/schema.ts';
import { derivePocName, groupKeyFor, isPocName, memberKeyFor } from './names.ts';
import { servingEntries } from './serving-entries.ts';
import { solutionEntry } from './solution-entry.ts';
import type { DatasetSnapshot, Entry, GroupSnapshot, Note } from './types.ts';

/**
 * poc.yaml as data before it is rendered, with the files it refers to. Invariants: every path is
 * relative to the output directory with `/` separators; `value` passes the manifest's JSON Schema
 * when `diagnostics` has no error; every piece of the group left out has a warning in
 * `diagnostics` and a line in `trailer` (never a silent drop).
 */
export interface Draft {
  readonly pocName: string;
  readonly groupKey: string;
  readonly value: Entry;
  readonly notes: readonly Note[];
  /** Comment lines after the document: what poc.yaml does not describe. */
  readonly trailer: readonly string[];
  readonly schemaFiles: readonly { readonly path: string; readonly body: string }[];
  readonly dataFiles: readonly { readonly path: string; readonly uri: string }[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Where the bucket and role come from: the first adopted import job that names both. */
function environmentOf(datasets: readonly DatasetSnapshot[]): { bucket: string; roleArn: string } | undefined {
  for (const d of datasets) {
    const uri = d.source?.dataSource?.dataLocation;
    const roleArn = d.source?.roleArn;
    if (uri !== undefined && roleArn !== undefined) return { bucket: splitS3Uri(uri).bucket, roleArn };
  }
  return undefined;
}

/** An import from a prefix (`s3://bucket/folder/`) read many objects: there is no one file to download. */
function isPrefix(uri: string): boolean {
  return uri.endsWith('/') || splitS3Uri(uri).key === '';
}

/**
 * Decides poc.yaml for one group: keys, `name:` overrides where the generated names differ from
 * the live ones, the environment from the import jobs, solutions as they are. Pure.
 */
export function draftManifest(snapshot: GroupSnapshot, options: { readonly pocName?: string; readonly region: string }): Draft {
  const groupName = snapshot.group.name ?? '';
  const diagnostics: Diagnostic[] = [];
  const notes: Note[] = [];
  const trailer: string[] = [];
  const pocName = options.pocName ?? derivePocName(groupName);
  if (!isPocName(pocName)) return failed(pocName, error('invalid-poc-name', `--name "${pocName}" is not a POC name: lower-case letters, digits and hyphens, a letter first, at most 40 characters`));
  if (snapshot.group.status !== 'ACTIVE') return failed(pocName, error('dataset-group-not-active', `dataset group "${groupName}" is ${snapshot.group.status ?? 'UNKNOWN'}; only an ACTIVE group can be adopted`));

  const adoptable: DatasetSnapshot[] = [];
  for (const d of snapshot.datasets) {
    const uri = d.source?.dataSource?.dataLocation;
    const label = `the ${d.key} dataset "${d.dataset.name ?? '?'}"`;
    if (d.source === undefined || uri === undefined) {
      diagnostics.push(error('dataset-without-import', `${label} has no ACTIVE import job, so there is no data to describe in poc.yaml`, { hint: 'Import its data once (in the console or with CreateDatasetImportJob), then run poc import again.' }));
    } else if (isPrefix(uri)) {
      diagnostics.push(warning('import-from-prefix', `${label} was imported from the prefix ${uri} (several files); poc.yaml takes one data file per dataset, so the dataset is left out`, { hint: 'Combine the files into one CSV, import it, then run poc import again.' }));
      trailer.push(`Not adopted: ${label} (imported from the prefix ${uri}; poc.yaml takes one file).`);
    } else {
      adoptable.push(d);
    }
  }
  if (snapshot.datasets.length === 0) diagnostics.push(error('dataset-group-empty', `dataset group "${groupName}" has no datasets; there is nothing to adopt`));
  if (diagnostics.some((d) => d.severity === 'error')) return failed(pocName, ...diagnostics);
  if (adoptable.length === 0) return failed(pocName, ...diagnostics, error('nothing-to-adopt', `no dataset of "${groupName}" can be described in poc.yaml`));

  const datasetKeys = adoptable.map((d) => d.key);
  const groupKey = groupKeyFor(pocName, groupName, datasetKeys);
  const longest = longestGroupName(pocName, groupKey, datasetKeys);
  if (checkName(longest) !== undefined) {
    return failed(pocName, error('name-too-long', `with POC name "${pocName}", generated names reach ${longest.length} characters; Personalize allows 63`, { hint: 'Pass a shorter --name.' }));
  }
  const env = environmentOf(adoptable);
  if (env === undefined) return failed(pocName, error('import-without-role', `no import job of "${groupName}" names an IAM role; poc.yaml needs the role Personalize reads the bucket with`));

  const groupPath = ['datasetGroups', groupKey];
  const schemas: Entry = {};
  const datasets: Entry = {};
  const schemaFiles: { path: string; body: string }[] = [];
  const dataFiles: { path: string; uri: string }[] = [];
  for (const d of adoptable) {
    const body = d.schema.schema ?? '';
    const file = `schemas/${d.key}.avsc`;
    schemaFiles.push({ path: file, body: prettyJson(body) });
    const liveSchemaName = d.schema.name ?? nameOfArn(d.dataset.schemaArn ?? '');
    const generatedSchema = schemaName(pocName, d.key, createHash('sha256').update(canonicalBody(body)).digest('hex'));
    schemas[d.key] = liveSchemaName === generatedSchema ? file : { file, name: liveSchemaName };
    const uri = d.source?.dataSource?.dataLocation ?? '';
    const data = `data/${d.key}.csv`;
    dataFiles.push({ path: data, uri });
    const liveName = d.dataset.name ?? '';
    datasets[d.key] = {
      schema: d.key,
      data,
      ...(d.source?.importMode === 'INCREMENTAL' ? { importMode: 'INCREMENTAL' } : {}),
      ...(liveName === datasetName(pocName, groupKey, d.key) ? {} : { name: liveName }),
      importedFrom: uri,
    };
    notes.push({ path: [...groupPath, 'datasets', d.key, 'importedFrom'], text: ` ${data} is a copy of this object, imported by job ${d.source?.jobName ?? '?'}: while both hold the same bytes, nothing is uploaded or imported again.` });
    if (d.source?.importMode === 'INCREMENTAL') {
      diagnostics.push(warning('incremental-import', `the newest ACTIVE import of the ${d.key} dataset was INCREMENTAL: ${data} holds only that increment`, { path: `datasetGroups.${groupKey}.datasets.${d.key}` }));
    }
    if (d.newerJob !== undefined) {
      diagnostics.push(warning('newer-import-not-active', `the ${d.key} dataset's newest import job ${d.newerJob.name} is ${d.newerJob.status}; poc.yaml describes the newest ACTIVE one, and the plan imports the data again`, { path: `datasetGroups.${groupKey}.datasets.${d.key}` }));
    }
  }
  const otherBuckets = adoptable.filter((d) => splitS3Uri(d.source?.dataSource?.dataLocation ?? '').bucket !== env.bucket);
  if (otherBuckets.length > 0) notes.push({ path: ['environment'], text: ` Some data was imported from other buckets (see importedFrom); new data goes to ${env.bucket}.` });

  const { solutions, byArn } = solutionsOf(snapshot, pocName, groupKey, groupName, diagnostics, trailer, notes);
  const serving = servingEntries(snapshot, { pocName, groupKey, groupName, solutions: byArn });
  diagnostics.push(...serving.diagnostics);
  notes.push(...serving.notes);
  trailer.push(...serving.trailer);
  for (const [kind, names] of Object.entries(snapshot.others)) {
    diagnostics.push(warning('kind-not-adopted', `${names.length} ${kind}${names.length === 1 ? '' : 's'} of "${groupName}" (${names.join(', ')}) ${names.length === 1 ? 'is' : 'are'} not described in poc.yaml: poc import does not adopt ${kind}s yet`, { hint: 'They stay in the account; poc.yaml neither manages nor deletes them.' }));
    trailer.push(`Not adopted: ${kind}s ${names.join(', ')} (they stay in the account, unmanaged).`);
  }

  const group: Entry = {
    ...(groupName === `${pocName}-${groupKey}` ? {} : { name: groupName }),
    ...(snapshot.group.domain === undefined ? {} : { domain: snapshot.group.domain }),
    ...(snapshot.group.kmsKeyArn === undefined ? {} : { kmsKeyArn: snapshot.group.kmsKeyArn }),
    datasets,
    ...(Object.keys(solutions).length === 0 ? {} : { solutions }),
    ...serving.sections,
  };
  if (group['name'] !== undefined) notes.push({ path: [...groupPath, 'name'], text: ' The names of resources made in the console: keep them, or poc.yaml describes new resources named <name>-<key>.' });
  const value: Entry = {
    version: 1,
    name: pocName,
    region: options.region,
    environment: { existing: { bucket: env.bucket, roleArn: env.roleArn } },
    schemas,
    datasetGroups: { [groupKey]: group },
  };
  notes.push(
    { path: ['name'], text: ` Tag value (poc:name) and prefix of the names of anything new this POC creates. The first apply only adds the tags poc:name and poc:managed-by to what is adopted.` },
    { path: ['environment'], text: ' The bucket and IAM role the console import jobs used.' },
    { path: ['schemas'], text: ' Schemas cannot change in Personalize. To edit one, edit its file and remove its `name:`: a new schema <name>-<key>-<hash> is created and the dataset moved to it where the service allows.' },
  );
  return { pocName, groupKey, value, notes, trailer, schemaFiles, dataFiles, diagnostics };
}

/** The adopted solutions' entries, and their keys by ARN (campaigns name them by key). */
function solutionsOf(snapshot: GroupSnapshot, pocName: string, groupKey: string, groupName: string, diagnostics: Diagnostic[], trailer: string[], notes: Note[]): { solutions: Entry; byArn: Map<string, string> } {
  const solutions: Entry = {};
  const byArn = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of snapshot.solutions) {
    const name = s.solution.name ?? '';
    const key = memberKeyFor(pocName, groupKey, groupName, name, taken);
    taken.add(key);
    const path = ['datasetGroups', groupKey, 'solutions', key];
    const entry = solutionEntry(s, name === solutionName(pocName, groupKey, key) ? undefined : name, path.join('.'));
    diagnostics.push(...entry.diagnostics);
    if (entry.entry === undefined) {
      if (entry.note !== undefined) trailer.push(entry.note.trim());
      continue;
    }
    solutions[key] = entry.entry;
    byArn.set(s.solution.solutionArn ?? '', key);
    for (const [field, text] of Object.entries(entry.notes)) notes.push({ path: [...path, field], text });
  }
  return { solutions, byArn };
}

function failed(pocName: string, ...diagnostics: Diagnostic[]): Draft {
  return { pocName, groupKey: '', value: {}, notes: [], trailer: [], schemaFiles: [], dataFiles: [], diagnostics };
}

/** Readable .avsc: the service's body re-indented (the hash is of canonical JSON, so layout is free). */
function prettyJson(body: string): string {
  try {
    return `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
  } catch {
    return body;
  }
}
