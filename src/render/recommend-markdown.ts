import { formatScore, recommendHeading, type RecommendResult } from './recommend-result.ts';

/** A Markdown table for a PR comment or a job summary. */
export function renderRecommendMarkdown(r: RecommendResult): string {
  const lines = [`### ${escape(recommendHeading(r))}`, ''];
  if (r.items.length === 0) {
    lines.push('_No items: the filter or the model left nothing to recommend._');
  } else {
    lines.push('| rank | item | score |', '| ---: | --- | ---: |');
    for (const i of r.items) lines.push(`| ${i.rank} | ${escape(i.itemId)} | ${formatScore(i.score)} |`);
  }
  if (r.recommendationId !== undefined) lines.push('', `recommendation id: \`${r.recommendationId}\``);
  return `${lines.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}
