import { error, type Diagnostic } from '../diagnostics/index.ts';
import { errorName } from '../resources/errors.ts';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * One diagnostic for reads that all failed because of the endpoint rather than any resource:
 * nothing listens there, or what answers does not speak AWS (an HTML page, a proxy's 404).
 * Undefined when any failure was something else, or there were none.
 */
export function endpointProblem(causes: readonly unknown[], endpoint: string | undefined): Diagnostic | undefined {
  if (causes.length === 0) return undefined;
  const where = endpoint ?? 'the AWS endpoint';
  const kinds = new Set(
    causes.map((c) => {
      const code = typeof c === 'object' && c !== null ? (c as { code?: unknown }).code : undefined;
      if (typeof code === 'string' && UNREACHABLE.has(code)) return 'unreachable';
      // The SDK could not parse the answer as its protocol: a server, but not one that speaks AWS.
      if (c instanceof SyntaxError || errorName(c) === 'SyntaxError') return 'not-aws';
      return 'other';
    }),
  );
  if (kinds.size !== 1 || kinds.has('other')) return undefined;
  const first = causes[0] instanceof Error ? causes[0].message.split('\n')[0] : String(causes[0]);
  return kinds.has('unreachable')
    ? error('endpoint-unreachable', `Cannot reach ${where}: ${first}`, { hint: 'Check --endpoint, your network, or use --local.' })
    : error('endpoint-not-aws', `${where} answered, but not as AWS does (${first}).`, { hint: 'Check --endpoint: it should be an AWS-compatible endpoint such as a running `poc emulator`.' });
}
