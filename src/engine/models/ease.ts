import { invertSpd } from '../linalg.ts';
import type { SparseMatrix } from '../sparse.ts';

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): the item-item
 * weight matrix B minimising ||X - XB||^2 + lambda ||B||^2 with diag(B) = 0 has the closed form
 * B = I - P diag(1/diag(P)), P = (X^T X + lambda I)^-1.
 *
 * `rows` is the training matrix over `inputs` columns; the first `outputs` columns are the items
 * that can be recommended, the rest are side inputs (user metadata) that only predict. Returns B
 * as an inputs x outputs row-major matrix, or undefined if the Gram matrix is singular.
 */
export function easeWeights(rows: SparseMatrix, outputs: number, lambda: number): Float32Array | undefined {
  const n = rows.cols;
  const g = new Float64Array(n * n);
  for (let r = 0; r < rows.rows; r++) {
    const start = rows.offsets[r] as number;
    const end = rows.offsets[r + 1] as number;
    for (let a = start; a < end; a++) {
      const ia = rows.indices[a] as number;
      const va = rows.values[a] as number;
      const base = ia * n;
      // Columns within a row are sorted, so b <= a fills the lower triangle only.
      for (let b = start; b <= a; b++) g[base + (rows.indices[b] as number)] = (g[base + (rows.indices[b] as number)] as number) + va * (rows.values[b] as number);
    }
  }
  for (let i = 0; i < n; i++) {
    g[i * n + i] = (g[i * n + i] as number) + lambda;
    for (let j = 0; j < i; j++) g[j * n + i] = g[i * n + j] as number;
  }
  const p = invertSpd(g, n);
  if (p === undefined) return undefined;
  const b = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < outputs; j++) {
      b[i * outputs + j] = i === j ? 0 : -(p[i * n + j] as number) / (p[j * n + j] as number);
    }
  }
  return b;
}
