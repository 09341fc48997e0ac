import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDataFile } from '../../src/data/index.ts';
import { readChunks } from '../../src/data/line-feeder.ts';
import { INTERACTIONS_SCHEMA, bytes } from './helpers.ts';

const T0 = 1_700_000_000;
const dir = mkdtempSync(join(tmpdir(), 'read-chunks-'));

/** About 1.2 MB: lines cross every 256 KB chunk boundary, some quoted, some with a bad timestamp. */
function bigFile(): string {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let k = 0; k < 40_000; k += 1) {
    const user = k % 97 === 0 ? `"U${k % 500}"` : `U${String(k % 500).padStart(5, '0')}`;
    const time = k % 1013 === 0 ? `${T0 + k}000` : String(T0 + k);
    lines.push(`${user},P${String(k % 300).padStart(4, '0')},${time},${k % 7 === 0 ? 'Purchase' : 'View'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('validating a file from disk', () => {
  it('reads it in chunks with the same findings, profile and ids as the whole text in one piece', async () => {
    const text = bigFile();
    const file = join(dir, 'interactions.csv');
    writeFileSync(file, text);
    const options = { file, schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS' as const, now: T0 + 86_400 };
    const fromDisk = await validateDataFile(options);
    const inOnePiece = await validateDataFile({ ...options, input: bytes(text) });
    const seen = (r: typeof fromDisk): string => JSON.stringify({ findings: r.findings, totals: r.totals, profile: r.profile, users: [...(r.ids.users?.ids() ?? [])] });
    expect(fromDisk.profile.rows).toBe(40_000);
    expect(fromDisk.findings.map((f) => f.code)).toContain('timestamp-milliseconds');
    expect(seen(fromDisk)).toBe(seen(inOnePiece));
  });

  it('hands out each chunk of the file once, in order, whatever the chunk size', async () => {
    const file = join(dir, 'bytes.bin');
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, k) => k % 251));
    writeFileSync(file, data);
    for (const size of [1, 7, 4096, 10_000, 1 << 18]) {
      const parts: Buffer[] = [];
      for await (const chunk of readChunks(file, size)) parts.push(Buffer.from(chunk));
      expect(Buffer.concat(parts).equals(data), `size ${size}`).toBe(true);
    }
  });

  it('reports a file it cannot open as one finding instead of throwing', async () => {
    const r = await validateDataFile({ file: join(dir, 'missing.csv'), schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS' });
    expect(r.findings.map((f) => [f.code, f.severity])).toContainEqual(['file-unreadable', 'error']);
    expect(r.findings.find((f) => f.code === 'file-unreadable')?.message).toMatch(/ENOENT/);
  });
});
