import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { error, warning } from '../diagnostics/index.ts';
import type { Diagnostic, SourceLocation } from '../diagnostics/index.ts';

/** A path into the parsed document, as ajv and the semantic checks address values. */
export type DocPath = readonly (string | number)[];

/**
 * A YAML file parsed with source positions. Invariants: `value` is the plain JS form of the
 * document (undefined when it is empty); `diagnostics` holds the YAML syntax problems, each with
 * the 1-based line and column the parser reported; `locate` never throws, and falls back to the
 * nearest enclosing node that exists when a path goes further than the document does.
 */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the value at `path` starts. */
  locate(path: DocPath): SourceLocation;
  /** Where the key naming the last segment of `path` is written (for unknown or misspelt keys). */
  locateKey(path: DocPath): SourceLocation;
}

/** Dotted form of a path, as diagnostics show it (`datasetGroups.baseline.datasets`). */
export function dotted(path: DocPath): string {
  return path.map(String).join('.');
}

/** Where a path is written plus its dotted form: the location fields of a diagnostic. */
export function where(source: YamlSource, path: DocPath, onKey = false): SourceLocation & { path?: string } {
  const location = onKey ? source.locateKey(path) : source.locate(path);
  return path.length === 0 ? location : { ...location, path: dotted(path) };
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [
    ...doc.errors.map((e) => error('yaml-syntax', firstLine(e.message), at(e.pos[0]))),
    ...doc.warnings.map((w) => warning('yaml-warning', firstLine(w.message), at(w.pos[0]))),
  ];
  let js: unknown;
  if (doc.errors.length === 0) {
    try {
      js = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Unresolved aliases and alias bombs only show when the document is turned into values.
      const message = e instanceof Error ? e.message : String(e);
      diagnostics.push(error('yaml-alias', firstLine(message), at(aliasOffset(doc, message))));
    }
  }
  return {
    file,
    // A document of only comments is null in YAML; to a manifest it is simply empty.
    value: js === null ? undefined : js,
    diagnostics,
    locate: (path) => at(walk(doc, path, 'value')),
    locateKey: (path) => at(walk(doc, path, 'key')),
  };
}

/** The alias a toJS error names (`...: y`), or the document start. */
function aliasOffset(doc: Document, message: string): number {
  const name = /: (\S+)$/.exec(message)?.[1];
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      if (node.source !== name) return undefined;
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/** The offset of the deepest node along `path` (the key of the last step when `want` is `key`). */
function walk(doc: Document, path: DocPath, want: 'value' | 'key'): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i += 1) {
    const segment = path[i];
    const pair = findPair(node, segment);
    if (pair === undefined) {
      const item = isSeq(node) && typeof segment === 'number' ? node.items[segment] : undefined;
      if (item === undefined) return offset;
      node = item;
      offset = startOf(item) ?? offset;
      continue;
    }
    const keyStart = startOf(pair.key);
    if (want === 'key' && i === path.length - 1) return keyStart ?? offset;
    node = pair.value;
    // `key:` with nothing after it has no value node; the key is the best place to point at.
    offset = startOf(pair.value) ?? keyStart ?? offset;
  }
  return offset;
}

function findPair(node: unknown, segment: string | number | undefined): Pair | undefined {
  if (!isMap(node) || segment === undefined) return undefined;
  return node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === null || range === undefined ? undefined : range[0];
}
