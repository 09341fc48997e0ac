import type { Diagnostic, Severity } from '../diagnostics/index.ts';

/** How many line numbers a grouped finding keeps. */
export const FIRST_LINES_KEPT = 5;

/**
 * A diagnostic about a data file. Findings with the same `code`, `path` and severity are one
 * finding: `line`, `column` and `message` are those of the first occurrence, and `grouped` says
 * how many rows had it and where the first few are. Invariant: `grouped.count >= 1` and
 * `grouped.firstLines` is ascending, non-empty when the finding has a line, at most
 * `FIRST_LINES_KEPT` long.
 */
export interface DataFinding extends Diagnostic {
  readonly grouped?: { readonly count: number; readonly firstLines: readonly number[] };
}

interface Group {
  code: string;
  severity: Severity;
  message: string;
  path: string | undefined;
  line: number | undefined;
  column: number | undefined;
  hint: string | undefined;
  count: number;
  firstLines: number[];
}

/** Where one occurrence is; `message` is built only for the first occurrence of a group. */
export interface Occurrence {
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
  readonly hint?: string;
}

/**
 * Collects findings for one file in bounded memory. After `maxErrors` occurrences (of any
 * severity) it stops recording line numbers and opening groups with details, but every
 * occurrence is still counted in `totals`, so a summary stays exact.
 */
export class FindingSink {
  private readonly groups = new Map<string, Group>();
  private recorded = 0;
  readonly totals: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  /** Occurrences counted but not detailed because `maxErrors` was reached. */
  suppressed = 0;

  constructor(
    readonly file: string,
    readonly maxErrors: number = Number.POSITIVE_INFINITY,
  ) {}

  report(code: string, severity: Severity, at: Occurrence, message: () => string): void {
    this.totals[severity] += 1;
    const key = `${severity}\u0000${code}\u0000${at.path ?? ''}`;
    const g = this.groups.get(key);
    if (g !== undefined) {
      g.count += 1;
      if (this.recorded < this.maxErrors && g.firstLines.length < FIRST_LINES_KEPT && at.line !== undefined) {
        g.firstLines.push(at.line);
        this.recorded += 1;
      } else if (this.recorded >= this.maxErrors) this.suppressed += 1;
      return;
    }
    if (this.recorded >= this.maxErrors) {
      this.suppressed += 1;
      return;
    }
    this.recorded += 1;
    this.groups.set(key, {
      code,
      severity,
      message: message(),
      path: at.path,
      line: at.line,
      column: at.column,
      hint: at.hint,
      count: 1,
      firstLines: at.line === undefined ? [] : [at.line],
    });
  }

  /** Whether the bound was reached, so renderers can say the list is incomplete. */
  get truncated(): boolean {
    return this.suppressed > 0;
  }

  /** Errors first, then warnings, then info; within a severity by first line. */
  findings(): DataFinding[] {
    const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    return [...this.groups.values()]
      .sort((a, b) => rank[a.severity] - rank[b.severity] || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code))
      .map((g) => toFinding(this.file, g));
  }
}

function toFinding(file: string, g: Group): DataFinding {
  return {
    code: g.code,
    severity: g.severity,
    message: g.message,
    file,
    ...(g.line === undefined ? {} : { line: g.line }),
    ...(g.column === undefined ? {} : { column: g.column }),
    ...(g.path === undefined ? {} : { path: g.path }),
    ...(g.hint === undefined ? {} : { hint: g.hint }),
    ...(g.count > 1 || g.firstLines.length > 0 ? { grouped: { count: g.count, firstLines: g.firstLines } } : {}),
  };
}

/** Cuts a user's value for a message: long values and control characters would wreck one-line output. */
export function shorten(value: string, max = 40): string {
  const flat = value.replace(/[\r\n\t]/g, ' ');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
