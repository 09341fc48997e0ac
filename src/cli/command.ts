import type { Logger } from 'pino';
import type { CommandSpec, ParsedArgs } from './args.ts';
import type { IoHost } from './io.ts';

/** Exit codes are a contract (ARCHITECTURE.md): scripts and CI branch on them. */
export const EXIT = {
  ok: 0,
  /** An error, or a failed gate. */
  error: 1,
  /** Changes present (`plan --detailed-exitcode`) or drift found (`drift`). */
  changes: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CommandContext {
  readonly args: ParsedArgs;
  readonly io: IoHost;
  readonly log: Logger;
}

export interface Command {
  readonly spec: CommandSpec;
  run(ctx: CommandContext): Promise<ExitCode>;
}
