/**
 * Inverse of a symmetric positive definite n x n matrix (row-major), via Cholesky: A = L L^T,
 * then A^-1 = L^-T L^-1. Loops run along rows so the inner loops read memory contiguously.
 * Returns undefined when A is not positive definite. `a` is overwritten.
 */
export function invertSpd(a: Float64Array, n: number): Float64Array | undefined {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j] as number;
    for (let k = 0; k < j; k++) s -= (a[rj + k] as number) * (a[rj + k] as number);
    if (!(s > 0)) return undefined;
    const d = Math.sqrt(s);
    a[rj + j] = d;
    const inv = 1 / d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j] as number;
      for (let k = 0; k < j; k++) t -= (a[ri + k] as number) * (a[rj + k] as number);
      a[ri + j] = t * inv;
    }
  }
  // M = L^-1 (lower triangular), row by row: M[i][:i] = -(sum_k<i L[i][k] M[k][:i]) / L[i][i].
  const m = new Float64Array(n * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    acc.fill(0, 0, i);
    for (let k = 0; k < i; k++) {
      const f = a[ri + k] as number;
      if (f === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) acc[j] = (acc[j] as number) + f * (m[rk + j] as number);
    }
    const lii = a[ri + i] as number;
    for (let j = 0; j < i; j++) m[ri + j] = -(acc[j] as number) / lii;
    m[ri + i] = 1 / lii;
  }
  // A^-1 = M^T M, accumulated one row of M at a time into the lower triangle, then mirrored.
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const f = m[rk + i] as number;
      if (f === 0) continue;
      const ro = i * n;
      for (let j = 0; j <= i; j++) out[ro + j] = (out[ro + j] as number) + f * (m[rk + j] as number);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j] as number;
  return out;
}
