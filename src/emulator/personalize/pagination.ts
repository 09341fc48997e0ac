import { PersonalizeError } from './errors.ts';
import type { ResourceRecord } from './store.ts';

const DEFAULT_MAX_RESULTS = 100;

interface TokenBody {
  /** Which list (operation and parent filter) the token belongs to. */
  readonly s: string;
  /** The sort key of the last item returned: creation time, then ARN. */
  readonly c: number;
  readonly a: string;
}

/**
 * One page of `records` in a stable order (creation time, then ARN). The token is opaque to the
 * client and names the last item returned rather than an offset, so creating or deleting
 * resources between pages neither repeats nor skips the others. A token from another list or one
 * that does not decode is an InvalidNextTokenException.
 */
export function paginate<A>(
  records: readonly ResourceRecord<A>[],
  scope: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: ResourceRecord<A>[]; nextToken?: string } {
  const sorted = [...records].sort((x, y) => x.createdAt - y.createdAt || (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0));
  let start = 0;
  if (nextToken !== undefined) {
    const after = decode(nextToken, scope);
    start = sorted.findIndex((r) => r.createdAt > after.c || (r.createdAt === after.c && r.arn > after.a));
    if (start < 0) start = sorted.length;
  }
  const limit = maxResults ?? DEFAULT_MAX_RESULTS;
  const page = sorted.slice(start, start + limit);
  const last = page[page.length - 1];
  if (start + limit >= sorted.length || last === undefined) return { page };
  return { page, nextToken: encode({ s: scope, c: last.createdAt, a: last.arn }) };
}

function encode(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decode(token: string, scope: string): TokenBody {
  const bad = new PersonalizeError('InvalidNextTokenException', 'The next token is not valid.');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (typeof body !== 'object' || body === null) throw bad;
  const { s, c, a } = body as Record<string, unknown>;
  if (s !== scope || typeof c !== 'number' || typeof a !== 'string') throw bad;
  return { s, c, a };
}
