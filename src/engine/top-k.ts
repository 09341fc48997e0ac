/**
 * The indices of the `k` best items: higher `scores` first, then higher `tiebreak` (popularity),
 * then lower index. Items with a non-finite score or for which `skip` is true are never chosen.
 * A bounded insertion list is enough: k is small (25 for metrics, 500 at most in the API).
 */
export function topK(scores: ArrayLike<number>, tiebreak: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  const better = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    if (sa !== sb) return sa > sb;
    const ta = tiebreak[a] as number;
    const tb = tiebreak[b] as number;
    if (ta !== tb) return ta > tb;
    return a < b;
  };
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i] as number)) continue;
    if (best.length === k && !better(i, best[k - 1] as number)) continue;
    if (skip?.(i)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && better(i, best[at - 1] as number)) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = i;
  }
  return best;
}
