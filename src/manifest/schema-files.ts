import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { error, hasErrors } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { validateAvroSchema } from '../data/avro-schema.ts';
import { canonicalJson, typedAvroRecord } from './avro.ts';
import { fileProblem, resolvePaths } from './files.ts';
import { findJsonSyntaxError, lineColumn } from './json-syntax.ts';
import type { ManifestContext } from './files.ts';
import type { SchemaSpec } from './types.ts';
import { dotted } from './yaml-source.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and checks one `schemas.<key>` file. Problems with the file's presence point at poc.yaml;
 * problems inside the file point at the .avsc line and column, since that is where the fix goes.
 */
export async function loadSchemaFile(key: string, asWritten: string, ctx: ManifestContext): Promise<{ spec?: SchemaSpec; diagnostics: Diagnostic[] }> {
  const path = ['schemas', key];
  const inManifest = { ...ctx.source.locate(path), path: dotted(path) };
  const { absolute, display } = resolvePaths(asWritten, ctx);
  const missing = await fileProblem(absolute);
  if (missing !== undefined) {
    return { diagnostics: [error(`schema-file-${missing.code}`, `schema ${key}: ${display} ${missing.message}`, inManifest)] };
  }
  let text: string;
  try {
    text = utf8.decode(await readFile(absolute));
  } catch {
    return { diagnostics: [error('schema-not-utf8', `schema ${key}: ${display} is not UTF-8 text`, inManifest)] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const detail = found?.message ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
    const where = found === undefined ? {} : lineColumn(text, found.offset);
    return { diagnostics: [error('schema-invalid-json', `schema ${key}: ${display} is not valid JSON: ${detail}`, { file: display, ...where, path: dotted(path) })] };
  }
  // The Avro rules live with the data checks, which read the same schemas row by row.
  const diagnostics = validateAvroSchema(json, display, undefined, text);
  const typed = hasErrors(diagnostics) ? undefined : typedAvroRecord(json);
  if (typed === undefined) return { diagnostics };
  const canonical = canonicalJson(json);
  return {
    spec: {
      key,
      file: absolute,
      avro: typed.schema,
      canonical,
      sha256: createHash('sha256').update(canonical).digest('hex'),
      datasetType: typed.datasetType,
    },
    diagnostics,
  };
}
