import type { EngineData, EngineFailure, EventFilter } from './types.ts';

/**
 * A compressed sparse row matrix. Invariants: `offsets` has `rows + 1` non-decreasing entries;
 * row r holds columns `indices[offsets[r] .. offsets[r+1])` in increasing order, each once, with
 * `values` alongside.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * The interaction rows a solution trains on: of the given event type when one is set, and with
 * a value at or above the threshold when one is set (events without a value then drop out).
 */
export function selectRows(data: EngineData, filter: EventFilter = {}): { rows: Int32Array } | { failure: EngineFailure } {
  const it = data.interactions;
  const type = filter.eventType === undefined ? -2 : data.eventTypes.indexOf(filter.eventType);
  const threshold = filter.eventValueThreshold;
  const kept = new Int32Array(it.length);
  let n = 0;
  for (let i = 0; i < it.length; i++) {
    if (type !== -2 && it.eventType[i] !== type) continue;
    if (threshold !== undefined && !((it.eventValue[i] as number) >= threshold)) continue;
    kept[n++] = i;
  }
  if (n === 0) {
    const what = filter.eventType === undefined ? '' : ` after filtering by event type: ${filter.eventType}`;
    return { failure: { code: 'no-interactions', message: `Dataset has no interactions${what}.` } };
  }
  return { rows: kept.slice(0, n) };
}

/** Builds a matrix from (row, col, value) triples (value 1 when `v` is absent); duplicates are summed. */
export function fromTriples(rows: number, cols: number, r: Int32Array, c: Int32Array, v?: Float32Array): SparseMatrix {
  const n = r.length;
  // Two stable counting sorts (by column, then by row) leave each row's columns in order.
  const byCol = countingOrder(c, cols, identity(n));
  const order = countingOrder(r, rows, byCol);
  const offsets = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  let out = 0;
  let prevRow = -1;
  let prevCol = -1;
  for (const k of order) {
    const row = r[k] as number;
    const col = c[k] as number;
    const value = v === undefined ? 1 : (v[k] as number);
    if (row === prevRow && col === prevCol) {
      values[out - 1] = (values[out - 1] as number) + value;
      continue;
    }
    indices[out] = col;
    values[out] = value;
    out++;
    offsets[row + 1] = out;
    prevRow = row;
    prevCol = col;
  }
  for (let row = 0; row < rows; row++) if ((offsets[row + 1] as number) < (offsets[row] as number)) offsets[row + 1] = offsets[row] as number;
  return { rows, cols, offsets, indices: indices.slice(0, out), values: values.slice(0, out) };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** A stable ordering of `positions` by `keys[position]`, keys in [0, range). */
function countingOrder(keys: Int32Array, range: number, positions: Int32Array): Int32Array {
  const start = new Int32Array(range + 1);
  for (const p of positions) start[(keys[p] as number) + 1] = (start[(keys[p] as number) + 1] as number) + 1;
  for (let k = 0; k < range; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const out = new Int32Array(positions.length);
  for (const p of positions) {
    const key = keys[p] as number;
    out[start[key] as number] = p;
    start[key] = (start[key] as number) + 1;
  }
  return out;
}

/** The user x item matrix of interaction counts over the selected interaction rows. */
export function userItemCounts(data: EngineData, rows: Int32Array): SparseMatrix {
  const it = data.interactions;
  const u = new Int32Array(rows.length);
  const i = new Int32Array(rows.length);
  rows.forEach((row, k) => {
    u[k] = it.user[row] as number;
    i[k] = it.item[row] as number;
  });
  return fromTriples(data.users.size, data.items.size, u, i);
}

export function transpose(m: SparseMatrix): SparseMatrix {
  const counts = new Int32Array(m.cols + 1);
  for (let k = 0; k < m.indices.length; k++) counts[(m.indices[k] as number) + 1] = (counts[(m.indices[k] as number) + 1] as number) + 1;
  for (let c = 0; c < m.cols; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
  const cursor = counts.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.offsets[r] as number; k < (m.offsets[r + 1] as number); k++) {
      const c = m.indices[k] as number;
      const at = cursor[c] as number;
      cursor[c] = at + 1;
      indices[at] = r;
      values[at] = m.values[k] as number;
    }
  }
  return { rows: m.cols, cols: m.rows, offsets: counts, indices, values };
}

/** Per item, the number of selected interactions. */
export function itemCounts(data: EngineData, rows: Int32Array): Float64Array {
  const counts = new Float64Array(data.items.size);
  for (const row of rows) counts[data.interactions.item[row] as number] = (counts[data.interactions.item[row] as number] as number) + 1;
  return counts;
}
