import { formatScore, recommendHeading, type RecommendResult } from './recommend-result.ts';

/** A terminal table: rank, item, score, aligned; a note when nothing came back. */
export function renderRecommendText(r: RecommendResult): string {
  const lines = [recommendHeading(r), ''];
  if (r.items.length === 0) {
    lines.push('No items: the filter or the model left nothing to recommend.');
  } else {
    const rows = r.items.map((i) => [String(i.rank), i.itemId, formatScore(i.score)] as const);
    const widths = [0, 1, 2].map((c) => Math.max(['rank', 'item', 'score'][c]?.length ?? 0, ...rows.map((row) => row[c]?.length ?? 0)));
    const line = (cells: readonly string[]): string => `  ${(cells[0] ?? '').padStart(widths[0] ?? 0)}  ${(cells[1] ?? '').padEnd(widths[1] ?? 0)}  ${(cells[2] ?? '').padStart(widths[2] ?? 0)}`.trimEnd();
    lines.push(line(['rank', 'item', 'score']));
    for (const row of rows) lines.push(line(row));
  }
  if (r.recommendationId !== undefined) lines.push('', `recommendation id: ${r.recommendationId}`);
  return `${lines.join('\n')}\n`;
}
