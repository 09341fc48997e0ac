import type { RecommendResult } from './recommend-result.ts';

/** The result as stable JSON (keys in a fixed order), for scripts. */
export function renderRecommendJson(r: RecommendResult): string {
  const out = {
    source: r.source,
    operation: r.operation,
    ...(r.userId === undefined ? {} : { userId: r.userId }),
    ...(r.itemId === undefined ? {} : { itemId: r.itemId }),
    ...(r.filter === undefined ? {} : { filter: r.filter }),
    items: r.items.map((i) => ({ rank: i.rank, itemId: i.itemId, ...(i.score === undefined ? {} : { score: i.score }) })),
    ...(r.recommendationId === undefined ? {} : { recommendationId: r.recommendationId }),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
