import type { Diagnostic, Severity } from '../diagnostics/index.ts';

/** GitHub shows at most ten annotations of each level per step; the rest would be dropped silently. */
export const ANNOTATION_LIMIT = 10;

const COMMAND: Readonly<Record<Severity, 'error' | 'warning' | 'notice'>> = { error: 'error', warning: 'warning', info: 'notice' };
const PLURAL: Readonly<Record<Severity, string>> = { error: 'errors', warning: 'warnings', info: 'notices' };

/** Locations listed in the roll-up annotation at most, so one line cannot grow without bound. */
const ROLLUP_LOCATIONS = 20;

export interface AnnotationOptions {
  /** Annotations of each level at most, the last one rolling up the rest; default {@link ANNOTATION_LIMIT}. */
  readonly limit?: number;
  /**
   * Maps a diagnostic's file to the path GitHub resolves against the repository root; the
   * annotation drops `file` (and so its line) when this returns undefined.
   */
  readonly fileFor?: (file: string) => string | undefined;
}

/** A workflow command's message: `%`, CR and LF are the characters the runner decodes. */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A workflow command's property value: as data, and `:` and `,` which delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * Diagnostics as GitHub workflow commands (`::error file=F,line=L,col=C,title=T::message`), one
 * line each, errors first. Per level, at most `limit` lines: past it, the last line rolls the
 * remaining diagnostics into one annotation that names how many and where. Pure.
 */
export function renderAnnotations(diagnostics: readonly Diagnostic[], options: AnnotationOptions = {}): string[] {
  const limit = Math.max(1, options.limit ?? ANNOTATION_LIMIT);
  const lines: string[] = [];
  for (const severity of ['error', 'warning', 'info'] as const) {
    const all = diagnostics.filter((d) => d.severity === severity);
    const shown = all.length > limit ? all.slice(0, limit - 1) : all;
    for (const d of shown) lines.push(annotation(d, options));
    const rest = all.slice(shown.length);
    if (rest.length > 0) lines.push(rollup(severity, rest, options));
  }
  return lines;
}

function annotation(d: Diagnostic, options: AnnotationOptions): string {
  const file = d.file === undefined ? undefined : (options.fileFor ?? ((f: string) => f))(d.file);
  const props: [string, string][] = [];
  if (file !== undefined) {
    props.push(['file', file]);
    if (d.line !== undefined) props.push(['line', String(d.line)]);
    if (d.column !== undefined) props.push(['col', String(d.column)]);
  }
  props.push(['title', `poc [${d.code}]`]);
  const message = `${d.message}${d.path === undefined ? '' : ` (at ${d.path})`}${d.hint === undefined ? '' : `\nHint: ${d.hint}`}`;
  return `::${COMMAND[d.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')}::${escapeData(message)}`;
}

function rollup(severity: Severity, rest: readonly Diagnostic[], options: AnnotationOptions): string {
  const where = rest.slice(0, ROLLUP_LOCATIONS).map((d) => {
    const file = d.file === undefined ? undefined : (options.fileFor ?? ((f: string) => f))(d.file);
    const at = file === undefined ? '' : `${file}${d.line === undefined ? '' : `:${d.line}`}: `;
    return `${at}[${d.code}] ${d.message}`;
  });
  const more = rest.length > ROLLUP_LOCATIONS ? [`... and ${rest.length - ROLLUP_LOCATIONS} more`] : [];
  const message = [`${rest.length} more ${PLURAL[severity]} (see the job log):`, ...where, ...more].join('\n');
  return `::${COMMAND[severity]} title=${escapeProperty(`poc: ${rest.length} more ${PLURAL[severity]}`)}::${escapeData(message)}`;
}
