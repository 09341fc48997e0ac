import { Document, isMap, isScalar, type Pair } from 'yaml';
import type { Draft } from './draft.ts';

const WIDTH = 100;

/** Comment text as lines that, `#` and `indent` included, stay within WIDTH (the yaml package adds `#`). */
function wrapped(text: string, indent = 0): string {
  const width = WIDTH - indent - 2;
  const lines: string[] = [];
  for (const paragraph of text.trim().split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      if (line !== '' && line.length + word.length + 1 > width) {
        lines.push(` ${line}`);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(` ${line}`);
  }
  return lines.join('\n');
}

function pairAt(doc: Document, path: readonly string[]): Pair | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  return parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
}

/** Small maps read best on one line: `{ schema: interactions, data: data/interactions.csv }`. */
function flowAt(doc: Document, path: readonly string[]): void {
  const node = doc.getIn(path, true);
  if (isMap(node)) node.flow = true;
}

/**
 * poc.yaml text for a draft, through the yaml package's Document API so comments sit on the keys
 * they explain: a header, the draft's notes, blank lines between sections, and the trailer of what
 * was not adopted. Deterministic: the same draft gives the same bytes.
 */
export function renderManifest(draft: Draft, header: string): string {
  const doc = new Document(draft.value);
  doc.commentBefore = wrapped(header);
  const top = doc.contents;
  if (isMap(top)) {
    for (const pair of top.items.slice(1)) if (isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  flowAt(doc, ['environment', 'existing']);
  for (const key of Object.keys((draft.value['schemas'] ?? {}) as Record<string, unknown>)) flowAt(doc, ['schemas', key]);
  for (const note of draft.notes) {
    const key = pairAt(doc, note.path)?.key;
    if (!isScalar(key)) continue;
    const text = wrapped(note.text, 2 * (note.path.length - 1));
    key.commentBefore = key.commentBefore === undefined || key.commentBefore === null ? text : `${key.commentBefore}\n${text}`;
  }
  if (draft.trailer.length > 0) doc.comment = draft.trailer.map((line) => wrapped(line)).join('\n');
  return doc.toString({ lineWidth: 0 });
}
