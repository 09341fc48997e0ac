import { join } from 'node:path';
import type { Clients } from '../aws/clients.ts';
import { error, hasErrors } from '../diagnostics/index.ts';
import { loadManifest } from '../manifest/load.ts';
import { draftManifest } from './draft.ts';
import { readGroup } from './read-group.ts';
import { renderManifest } from './render.ts';
import type { AdoptOptions, AdoptResult } from './types.ts';
import { existingFiles, MANIFEST_FILE, writeDraft } from './write-files.ts';

function header(options: AdoptOptions): string {
  return [
    `Written by \`poc import --dataset-group ${options.datasetGroup}\` from ${options.region}: the dataset group as it was, so that \`poc plan\` shows no change but the ownership tags (poc:name, poc:managed-by) it adds to what it adopts.`,
    '`poc validate` checks this file, the schemas and the data without calling AWS; `poc plan` shows what would change; `poc apply` makes it so. Nothing here is deleted unless you ask (prune).',
  ].join('\n');
}

/**
 * `poc import`: reads an existing dataset group (nothing in the account changes) and writes a
 * poc.yaml describing it into `options.outDir`, with its schema files and a byte-for-byte copy of
 * each dataset's imported data. Refuses to overwrite existing files without `force`. The written
 * manifest is loaded back: a problem there is reported as an error (a bug in this tool).
 */
export async function adoptDatasetGroup(clients: Clients, options: AdoptOptions): Promise<AdoptResult> {
  const read = await readGroup(clients, options.region, options.datasetGroup);
  if (read.snapshot === undefined) return { ok: false, diagnostics: read.diagnostics };
  const draft = draftManifest(read.snapshot, { region: options.region, ...(options.pocName === undefined ? {} : { pocName: options.pocName }) });
  if (hasErrors(draft.diagnostics)) return { ok: false, diagnostics: draft.diagnostics };
  const present = options.force ? [] : await existingFiles(options.outDir, draft);
  if (present.length > 0) {
    return {
      ok: false,
      diagnostics: [
        error('adopt-would-overwrite', `${present.join(', ')} already exist${present.length === 1 ? 's' : ''} in ${options.outDir}`, { hint: 'Pass --force to overwrite them, or --out another directory.' }),
      ],
    };
  }
  const files = await writeDraft(clients, options.outDir, draft, renderManifest(draft, header(options)));
  const check = await loadManifest(join(options.outDir, MANIFEST_FILE));
  return { ok: true, pocName: draft.pocName, files, diagnostics: [...draft.diagnostics, ...check.diagnostics] };
}
