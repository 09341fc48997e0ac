import { PersonalizeError } from './errors.ts';
import type { Input, ServiceState } from './operation.ts';
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

/** What a List operation lists and under which member it answers. */
export interface ListSpec<A> {
  /** The operation's name; with the parent's ARN it scopes the list's tokens. */
  readonly operation: string;
  readonly kind: string;
  /**
   * The optional request member that narrows the list to one parent, which is also the attribute
   * holding each record's parent; absent for kinds that are only listed whole.
   */
  readonly parent?: keyof A & string;
  /** The answer's member holding the summaries. */
  readonly key: string;
}

/** A List operation's answer: one page of the records `spec` selects, as summaries, and the token for the next. */
export function listRecords<A>(state: ServiceState, input: Input, spec: ListSpec<A>, summary: (record: ResourceRecord<A>) => object): Record<string, unknown> {
  const { parent } = spec;
  const parentArn = parent === undefined ? undefined : input.optString(parent);
  const all = state.store.list<A>(spec.kind).filter((r) => parent === undefined || parentArn === undefined || r.attrs[parent] === parentArn);
  const scope = parent === undefined ? spec.operation : `${spec.operation}:${parentArn ?? ''}`;
  const { page, nextToken } = paginate(all, scope, input.optInteger('maxResults'), input.optString('nextToken'));
  return { [spec.key]: page.map(summary), ...(nextToken === undefined ? {} : { nextToken }) };
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
