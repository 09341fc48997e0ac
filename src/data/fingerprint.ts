import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Manifest } from '../manifest/types.ts';

/** sha256 of a file's bytes, hex, read as a stream so size does not matter. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The digest a plan records to tell whether its inputs changed: sha256 over the poc.yaml bytes, the
 * canonical text of every schema and the hash of every data file, each section sorted by key.
 * Each part is length-prefixed so no two different inputs can frame to the same byte stream.
 * `dataHashes` maps data paths (absolute as in `DatasetSpec.data`, or relative to poc.yaml) to
 * their sha256; paths enter the digest relative to poc.yaml, so a clone elsewhere digests the same.
 */
export function manifestDigest(manifest: Manifest, dataHashes: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  const part = (label: string, value: string): void => {
    const bytes = Buffer.from(value, 'utf8');
    hash.update(`${label}:${bytes.length}:`);
    hash.update(bytes);
  };
  part('manifest', manifest.source.text);
  for (const key of Object.keys(manifest.schemas).sort()) {
    const spec = manifest.schemas[key];
    if (spec !== undefined) part(`schema:${key}`, spec.canonical);
  }
  const data = Object.entries(dataHashes).map(([path, sha]) => [relative(manifest.source.baseDir, resolve(manifest.source.baseDir, path)).split(sep).join('/'), sha] as const);
  data.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [path, sha] of data) part(`data:${path}`, sha);
  return hash.digest('hex');
}
