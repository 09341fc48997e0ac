import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { validateDataFile } from '../../src/data/index.ts';
import { INTERACTIONS_SCHEMA } from './helpers.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Rows over a fixed population, with the retained heap sampled (after a GC) at given row counts. */
async function* stream(total: number, samples: Map<number, number>): AsyncIterable<Uint8Array> {
  const enc = new TextEncoder();
  yield enc.encode('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n');
  const batch = 20_000;
  for (let done = 0; done < total; done += batch) {
    let s = '';
    for (let k = done; k < done + batch; k += 1) s += `u${k % 500},i${(k * 7) % 300},${1_600_000_000 + k},${k % 3 === 0 ? 'buy' : 'view'}\n`;
    if (samples.has(done)) {
      gc();
      samples.set(done, process.memoryUsage().heapUsed);
    }
    yield enc.encode(s);
  }
}

describe('bounded memory', () => {
  it('retains no more heap after 1.6M rows than after 200k when the ids are the same', async () => {
    const samples = new Map([
      [200_000, 0],
      [1_600_000, 0],
    ]);
    const r = await validateDataFile({ file: 'mem.csv', schema: INTERACTIONS_SCHEMA, datasetType: 'INTERACTIONS', input: stream(1_620_000, samples), now: 1_700_000_000 });
    expect(r.profile.rows).toBe(1_620_000);
    expect(r.profile.interactions?.users).toBe(500);
    const growth = (samples.get(1_600_000) ?? 0) - (samples.get(200_000) ?? 0);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  });
});
