import { formatDiagnostic, type Diagnostic } from '../diagnostics/index.ts';

/**
 * Where a command's output goes. User-facing results go to `out` (stdout), progress and
 * diagnostics to `err` (stderr), so `poc plan --format json > plan.json` stays clean. Tests pass
 * their own host and read what was written.
 */
export interface IoHost {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdin and stdout are an interactive terminal (prompts, live progress, colour). */
  readonly interactive: boolean;
  readonly color: boolean;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm(question: string): Promise<boolean>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): IoHost {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive,
    color: process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined,
    env: process.env,
    cwd: process.cwd(),
    async confirm(question) {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        const answer = await rl.question(`${question} Only 'yes' will be accepted: `);
        return answer.trim() === 'yes';
      } finally {
        rl.close();
      }
    },
  };
}

/** Prints diagnostics one per line on stderr, errors first, and a count when there are several. */
export function printDiagnostics(io: IoHost, diagnostics: readonly Diagnostic[]): void {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...diagnostics].sort((a, b) => order[a.severity] - order[b.severity]);
  for (const d of sorted) io.err(formatDiagnostic(d));
}
