import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestDigest, sha256File } from '../../src/data/fingerprint.ts';
import { loadManifest } from '../../src/manifest/index.ts';
import type { Manifest } from '../../src/manifest/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fingerprint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(file: string): Promise<Manifest> {
  const { manifest, diagnostics } = await loadManifest(file);
  expect(diagnostics).toEqual([]);
  if (manifest === undefined) throw new Error('no manifest');
  return manifest;
}

describe('sha256File', () => {
  it('hashes a file larger than one read chunk to the digest of its whole content', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 0);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31) & 0xff;
    const file = join(dir, 'big.bin');
    await writeFile(file, bytes);
    expect(await sha256File(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects for a file that does not exist', async () => {
    await expect(sha256File(join(dir, 'missing'))).rejects.toThrow();
  });
});

describe('manifestDigest', () => {
  it('is the same for the same inputs, whatever the order of the data hashes', async () => {
    const m = await load('poc.yaml');
    const a = manifestDigest(m, { [join(m.source.baseDir, 'data/items.csv')]: 'aa', [join(m.source.baseDir, 'data/users.csv')]: 'bb' });
    const b = manifestDigest(m, { [join(m.source.baseDir, 'data/users.csv')]: 'bb', [join(m.source.baseDir, 'data/items.csv')]: 'aa' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('changes when a data file, a schema or the manifest text changes', async () => {
    const m = await load('poc.yaml');
    const data = { [join(m.source.baseDir, 'data/items.csv')]: 'aa' };
    const base = manifestDigest(m, data);
    expect(manifestDigest(m, { [join(m.source.baseDir, 'data/items.csv')]: 'ab' })).not.toBe(base);
    const items = m.schemas['items'];
    if (items === undefined) throw new Error('no items schema');
    expect(manifestDigest({ ...m, schemas: { ...m.schemas, items: { ...items, canonical: `${items.canonical} ` } } }, data)).not.toBe(base);
    expect(manifestDigest({ ...m, source: { ...m.source, text: `${m.source.text}\n` } }, data)).not.toBe(base);
  });

  it('does not depend on where the repository is checked out', async () => {
    const clone = join(dir, 'clone');
    for (const p of ['poc.yaml', 'schemas', 'data']) await cp(p, join(clone, p), { recursive: true });
    const here = await load('poc.yaml');
    const there = await load(join(clone, 'poc.yaml'));
    const hashes = async (m: Manifest): Promise<Record<string, string>> => {
      const files = new Set(Object.values(m.datasetGroups).flatMap((g) => Object.values(g.datasets).map((d) => d.data)));
      return Object.fromEntries(await Promise.all([...files].map(async (f) => [f, await sha256File(f)] as const)));
    };
    expect(manifestDigest(there, await hashes(there))).toBe(manifestDigest(here, await hashes(here)));
  });
});
