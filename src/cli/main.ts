import { formatDiagnostic, hasErrors, PocError, type Diagnostic } from '../diagnostics/index.ts';
import { flag, helpText, parseCommandArgs, stringOption } from './args.ts';
import { EXIT, type Command, type ExitCode } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { processIo, printDiagnostics, type IoHost } from './io.ts';
import { createLogger } from './logger.ts';
import { closest } from '../diagnostics/index.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: poc <command> [options]',
    '',
    'Amazon Personalize proofs of concept as code: one poc.yaml, reviewed as a plan, applied idempotently.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    "Run 'poc <command> --help' for a command's options. Add --local to use the embedded emulator.",
    '',
  ].join('\n');
}

/**
 * The CLI entry: returns the exit code instead of exiting, so tests run it in-process. Bad input
 * is printed as one line per problem on stderr; a stack trace only with --debug.
 */
export async function main(argv: readonly string[], io: IoHost = processIo()): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (name === '--version') {
    io.out('personalize-poc 0.1.0');
    return EXIT.ok;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.spec.name === name);
  if (command === undefined) {
    const guess = closest(name, COMMANDS.map((c) => c.spec.name));
    io.err(`error [unknown-command] Unknown command '${name}'.${guess === undefined ? '' : ` Did you mean 'poc ${guess}'?`} Run 'poc --help' for the list.`);
    return EXIT.error;
  }
  const { args, diagnostics } = parseCommandArgs(command.spec, rest);
  if (args !== undefined && flag(args, 'help')) {
    io.out(helpText(command.spec));
    return EXIT.ok;
  }
  if (args === undefined || hasErrors(diagnostics)) {
    printDiagnostics(io, diagnostics);
    return EXIT.error;
  }
  const debug = flag(args, 'debug');
  const log = createLogger(debug ? (stringOption(args, 'log-level') ?? 'debug') : stringOption(args, 'log-level'));
  try {
    return await command.run({ args, io: flag(args, 'no-color') ? { ...io, color: false } : io, log });
  } catch (err) {
    reportFailure(io, err, debug);
    return EXIT.error;
  }
}

function reportFailure(io: IoHost, err: unknown, debug: boolean): void {
  if (err instanceof PocError) {
    printDiagnostics(io, err.diagnostics);
  } else {
    io.err(formatDiagnostic(describeUnexpected(err)));
  }
  if (debug && err instanceof Error) {
    const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
    if (requestId !== undefined) io.err(`request id: ${requestId}`);
    io.err(err.stack ?? String(err));
  }
}

/** SDK and network failures become one readable line naming what failed. */
function describeUnexpected(err: unknown): Diagnostic {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || err.name === 'TimeoutError') {
      return { code: 'endpoint-unreachable', severity: 'error', message: `Cannot reach the AWS endpoint: ${err.message}`, hint: 'Check --endpoint, your network, or use --local.' };
    }
    if (err.name === 'CredentialsProviderError') {
      return { code: 'no-credentials', severity: 'error', message: 'No AWS credentials found.', hint: 'Configure the AWS credential chain (AWS_PROFILE, environment, SSO), or use --local.' };
    }
    const service = (err as { $fault?: string }).$fault !== undefined;
    return { code: service ? 'service-error' : 'internal-error', severity: 'error', message: `${err.name}: ${err.message.split('\n')[0]}`, ...(service ? {} : { hint: 'Re-run with --debug for a stack trace.' }) };
  }
  return { code: 'internal-error', severity: 'error', message: String(err) };
}
