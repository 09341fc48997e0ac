import { closest, error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { RECORD_NAME_OF } from '../data/avro-rules.ts';
import { checkGroupUse } from './domain-check.ts';
import type { GroupUse } from './domain-check.ts';
import { fileProblem, resolvePaths } from './files.ts';
import type { ManifestContext } from './files.ts';
import { MAX_NAME_LENGTH, checkName, longestGroupName, longestSchemaName } from './naming.ts';
import { PERSONALIZE_REGIONS, isPersonalizeRegion } from './regions.ts';
import { loadSchemaFile } from './schema-files.ts';
import { checkSolutions } from './solution-check.ts';
import { DATASET_KEYS, DATASET_TYPE_OF } from './types.ts';
import type { SchemaSpec } from './types.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import { KEY, record, wellFormedPocName } from './raw-document.ts';

/**
 * Checks what JSON Schema cannot: references between sections, files on disk, the region, and the
 * length of every AWS name the manifest will generate. It reads the raw document defensively, so
 * it also runs on a document with schema errors and one run reports both kinds of problem.
 */
export async function checkSemantics(value: unknown, ctx: ManifestContext): Promise<{ diagnostics: Diagnostic[]; schemas: Map<string, SchemaSpec> }> {
  const diagnostics: Diagnostic[] = [];
  const at = (path: DocPath, onKey = false): ReturnType<typeof where> => where(ctx.source, path, onKey);
  const root = record(value) ?? {};

  const region = root['region'];
  if (typeof region === 'string' && !isPersonalizeRegion(region)) {
    const guess = closest(region, PERSONALIZE_REGIONS);
    diagnostics.push(
      error('unknown-region', `region "${region}" is not one where Amazon Personalize is offered${guess === undefined ? '' : `; did you mean "${guess}"?`}`, {
        ...at(['region']),
        hint: `Personalize regions: ${PERSONALIZE_REGIONS.join(', ')}`,
      }),
    );
  }

  const schemaEntries = Object.entries(record(root['schemas']) ?? {})
    .map(([key, v]): [string, unknown] => [key, typeof v === 'string' ? v : record(v)?.['file']])
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
  const loaded = await Promise.all(schemaEntries.map(([key, file]) => loadSchemaFile(key, file, ctx)));
  const schemas = new Map<string, SchemaSpec>();
  loaded.forEach((r, i) => {
    diagnostics.push(...r.diagnostics);
    const key = schemaEntries[i]?.[0];
    if (r.spec !== undefined && key !== undefined) schemas.set(key, r.spec);
  });
  const declaredSchemas = Object.keys(record(root['schemas']) ?? {});

  const groups = Object.entries(record(root['datasetGroups']) ?? {});
  const fileChecks: Promise<void>[] = [];
  const uses: GroupUse[] = [];
  for (const [groupKey, groupValue] of groups) {
    const datasets = record(record(groupValue)?.['datasets']) ?? {};
    if (Object.keys(datasets).length === 0) continue;
    const domain = record(groupValue)?.['domain'];
    const use: GroupUse = { key: groupKey, domain: domain === 'ECOMMERCE' || domain === 'VIDEO_ON_DEMAND' ? domain : undefined, schemaOf: {} };
    uses.push(use);
    for (const datasetKey of DATASET_KEYS) {
      const dataset = record(datasets[datasetKey]);
      if (dataset === undefined) continue;
      const base = ['datasetGroups', groupKey, 'datasets', datasetKey];
      const schemaKey = dataset['schema'];
      if (typeof schemaKey === 'string' && schemaKey !== '') {
        use.schemaOf[datasetKey] = schemaKey;
        if (!declaredSchemas.includes(schemaKey)) {
          const guess = closest(schemaKey, declaredSchemas);
          const known = declaredSchemas.length === 0 ? 'none is declared' : `declared: ${declaredSchemas.join(', ')}`;
          diagnostics.push(error('unknown-schema', `schema "${schemaKey}" is not declared under schemas${guess === undefined ? ` (${known})` : `; did you mean "${guess}"?`}`, at([...base, 'schema'])));
        } else {
          const spec = schemas.get(schemaKey);
          const wanted = DATASET_TYPE_OF[datasetKey];
          if (spec !== undefined && spec.datasetType !== wanted) {
            diagnostics.push(
              error(
                'schema-type-mismatch',
                `the ${datasetKey} dataset uses schema "${schemaKey}", whose record is named ${spec.avro.name}; the ${datasetKey} dataset needs a record named ${RECORD_NAME_OF[wanted]}`,
                at([...base, 'schema']),
              ),
            );
          }
        }
      }
      const data = dataset['data'];
      if (typeof data === 'string' && data !== '') {
        const { absolute, display } = resolvePaths(data, ctx);
        fileChecks.push(
          fileProblem(absolute).then((p) => {
            if (p !== undefined) diagnostics.push(error(`data-file-${p.code}`, `data file ${display} ${p.message}`, at([...base, 'data'])));
          }),
        );
      }
    }
  }
  await Promise.all(fileChecks);
  diagnostics.push(...checkGroupUse(uses, schemas, ctx));
  diagnostics.push(...checkSolutions(value, ctx));

  const name = wellFormedPocName(root);
  if (name !== undefined) {
    for (const [groupKey, groupValue] of groups) {
      if (!KEY.test(groupKey)) continue;
      const present = DATASET_KEYS.filter((k) => record(record(record(groupValue)?.['datasets'])?.[k]) !== undefined);
      const longest = longestGroupName(name, groupKey, present);
      if (checkName(longest) !== undefined) diagnostics.push(nameTooLong(longest, name, `dataset group key "${groupKey}"`, at(['datasetGroups', groupKey], true)));
    }
    for (const schemaKey of declaredSchemas) {
      if (!KEY.test(schemaKey)) continue;
      const longest = longestSchemaName(name, schemaKey);
      if (checkName(longest) !== undefined) diagnostics.push(nameTooLong(longest, name, `schema key "${schemaKey}"`, at(['schemas', schemaKey], true)));
    }
  }
  return { diagnostics, schemas };
}

function nameTooLong(longest: string, pocName: string, what: string, at: ReturnType<typeof where>): Diagnostic {
  return error(
    'name-too-long',
    `generated names reach ${longest.length} characters (${shown(longest)}); Personalize allows at most ${MAX_NAME_LENGTH}`,
    { ...at, hint: `shorten name "${pocName}" or the ${what}` },
  );
}

/** The longest names carry a content hash and a retry number; show them as placeholders. */
function shown(longest: string): string {
  return `"${longest.replace(/-0{8}(-99)?$/, (_m, retry: string | undefined) => `-<sha8>${retry === undefined ? '' : '-NN'}`)}"`;
}
