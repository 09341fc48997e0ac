/**
 * The shared error vocabulary. Every stage reports problems as values of this type and keeps
 * going, so one run shows every problem; the CLI decides how to print them and which exit code
 * they mean. The core never throws for bad user input and never exits the process.
 */
export type Severity = 'error' | 'warning' | 'info';

/** A place in a user's file. `line` and `column` are 1-based; absent when the file as a whole is meant. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * One problem found in the user's input or in the live account.
 * Invariants: `code` is a stable kebab-case identifier (tests and CI match on it, never on
 * `message`); `message` is one line for a human; `path` is the dotted path of the field inside
 * the file (e.g. `datasetGroups.baseline.datasets.interactions.data`) when there is one.
 */
export interface Diagnostic extends Partial<SourceLocation> {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path?: string;
  /** What to do about it, when the tool knows. */
  readonly hint?: string;
}

/** Whose fault an operational error is: the user's input, the remote service, or this tool. */
export type ErrorSource = 'user' | 'service' | 'tool';

/**
 * An error raised across a boundary where returning a value is impractical (deep inside an SDK
 * callback, say). It carries diagnostics so the CLI can print them the same way as any other.
 */
export class PocError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  readonly source: ErrorSource;

  constructor(diagnostics: Diagnostic | readonly Diagnostic[], source: ErrorSource = 'user') {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map((d) => d.message).join('; '));
    this.name = 'PocError';
    this.diagnostics = list;
    this.source = source;
  }
}

export function error(code: string, message: string, at: Partial<SourceLocation> & { path?: string; hint?: string } = {}): Diagnostic {
  return { code, severity: 'error', message, ...at };
}

export function warning(code: string, message: string, at: Partial<SourceLocation> & { path?: string; hint?: string } = {}): Diagnostic {
  return { code, severity: 'warning', message, ...at };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:column: severity [code] message (at path)`: the shape editors and CI logs link from. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === undefined ? '' : `${d.file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}: `;
  const path = d.path === undefined ? '' : ` (at ${d.path})`;
  const hint = d.hint === undefined ? '' : ` Hint: ${d.hint}`;
  return `${where}${d.severity} [${d.code}] ${d.message}${path}${hint}`;
}
