/** GitHub's limit on a comment body (and a job summary's per-step size is larger): characters. */
export const MARKDOWN_LIMIT = 65_535;

/**
 * Joins lines, cutting whole lines from the end when the text would exceed `limit`, then
 * appending `note(omittedLines)` and closing any `<details>` left open so the page still renders.
 */
export function capMarkdown(lines: readonly string[], limit: number, note: (omitted: number) => string): string {
  const full = `${lines.join('\n')}\n`;
  if (full.length <= limit) return full;
  const kept: string[] = [];
  let open = 0;
  let size = 0;
  // Room for the note and up to a few closing tags; the note's count never has more than 7 digits.
  const reserve = note(9_999_999).length + 2 + 12 * 4;
  for (const line of lines) {
    if (size + line.length + 1 + reserve + 11 * open > limit) break;
    kept.push(line);
    size += line.length + 1;
    if (line.startsWith('<details')) open += 1;
    if (line.startsWith('</details>')) open -= 1;
  }
  const omitted = lines.length - kept.length;
  const closing = Array.from({ length: Math.max(0, open) }, () => '</details>');
  return `${[...kept, '', note(omitted), ...closing].join('\n')}\n`;
}

/** Inline code that survives backticks in the value. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A table cell: pipes escaped, newlines flattened. */
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
