import { GrowableInt32 } from './growable.ts';
import type { MetadataTable } from './types.ts';
import { fromTriples } from './sparse.ts';
import type { SparseMatrix } from './sparse.ts';

/** Numeric columns become this many quantile buckets, so price bands act like categories. */
const NUMERIC_BUCKETS = 5;

/** A text token must occur in this many rows to be a feature; rarer words only add noise. */
const MIN_TOKEN_ROWS = 2;

/**
 * Entity x feature matrix from metadata. Every categorical value, frequent text token and
 * numeric quantile bucket is one feature. A row's features of one column share a unit of weight
 * (1/sqrt(count) each), so a long description does not outweigh a single category.
 */
export function featurize(table: MetadataTable | undefined, entities: number): SparseMatrix {
  const r = new GrowableInt32();
  const c = new GrowableInt32();
  const w: number[] = [];
  let features = 0;
  for (const column of table?.columns ?? []) {
    if (column.kind === 'numeric') {
      const present = Array.from(column.values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
      if (present.length === 0) continue;
      const cuts = Array.from({ length: NUMERIC_BUCKETS - 1 }, (_, b) => present[Math.floor(((b + 1) * present.length) / NUMERIC_BUCKETS)] as number);
      column.values.forEach((v, row) => {
        if (!Number.isFinite(v)) return;
        let bucket = 0;
        while (bucket < cuts.length && v >= (cuts[bucket] as number)) bucket++;
        r.push((table as MetadataTable).entity[row] as number);
        c.push(features + bucket);
        w.push(1);
      });
      features += NUMERIC_BUCKETS;
      continue;
    }
    const df = new Int32Array(column.values.size);
    for (const code of column.codes) df[code] = (df[code] as number) + 1;
    const minRows = column.kind === 'textual' ? MIN_TOKEN_ROWS : 1;
    const featureOf = new Int32Array(column.values.size).fill(-1);
    let next = 0;
    df.forEach((n, code) => {
      if (n >= minRows) featureOf[code] = next++;
    });
    for (let row = 0; row < (table as MetadataTable).rows; row++) {
      const kept: number[] = [];
      for (let k = column.offsets[row] as number; k < (column.offsets[row + 1] as number); k++) {
        const f = featureOf[column.codes[k] as number] as number;
        if (f >= 0) kept.push(f);
      }
      for (const f of kept) {
        r.push((table as MetadataTable).entity[row] as number);
        c.push(features + f);
        w.push(1 / Math.sqrt(kept.length));
      }
    }
    features += next;
  }
  return fromTriples(entities, features, r.toArray(), c.toArray(), Float32Array.from(w));
}
