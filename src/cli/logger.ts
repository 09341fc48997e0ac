import { pino, type Logger } from 'pino';

/**
 * Structured logs for operators, on stderr (fd 2) so they never mix with rendered output.
 * Quiet by default: a user sees rendered results and diagnostics, not log lines.
 */
export function createLogger(level: string | undefined): Logger {
  return pino({ level: level ?? 'warn', base: { tool: 'personalize-poc' } }, pino.destination(2));
}
