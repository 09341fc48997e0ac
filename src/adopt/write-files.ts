import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Clients } from '../aws/clients.ts';
import { splitS3Uri } from '../resources/adopted-object.ts';
import type { Draft } from './draft.ts';
import type { WrittenFile } from './types.ts';

export const MANIFEST_FILE = 'poc.yaml';

/** The files a draft would write that already exist, relative to `outDir`. */
export async function existingFiles(outDir: string, draft: Draft): Promise<string[]> {
  const paths = [MANIFEST_FILE, ...draft.schemaFiles.map((f) => f.path), ...draft.dataFiles.map((f) => f.path)];
  const present = await Promise.all(paths.map(async (p) => (await stat(join(outDir, p)).then(() => true, () => false)) ? p : undefined));
  return present.filter((p): p is string => p !== undefined);
}

/** Downloads one object byte for byte, through a `.part` file so a failed download leaves no half file. */
async function download(clients: Clients, uri: string, target: string): Promise<number> {
  const { bucket, key } = splitS3Uri(uri);
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = out.Body;
  if (!(body instanceof Readable)) throw new Error(`GetObject ${uri} returned no readable body`);
  const part = `${target}.part`;
  await pipeline(body, createWriteStream(part));
  await rename(part, target);
  return (await stat(target)).size;
}

/**
 * Writes the schema files, downloads the data files, then writes poc.yaml last: a failure on the
 * way leaves no manifest pointing at files that are not there.
 */
export async function writeDraft(clients: Clients, outDir: string, draft: Draft, manifestText: string): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  const dirs = new Set([outDir, ...[...draft.schemaFiles, ...draft.dataFiles].map((f) => dirname(join(outDir, f.path)))]);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  for (const f of draft.schemaFiles) {
    await writeFile(join(outDir, f.path), f.body);
    written.push({ path: f.path, what: 'schema', bytes: Buffer.byteLength(f.body) });
  }
  for (const f of draft.dataFiles) {
    written.push({ path: f.path, what: 'data', bytes: await download(clients, f.uri, join(outDir, f.path)) });
  }
  await writeFile(join(outDir, MANIFEST_FILE), manifestText);
  written.push({ path: MANIFEST_FILE, what: 'manifest', bytes: Buffer.byteLength(manifestText) });
  return written;
}
