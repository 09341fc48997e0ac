import { lowerBound } from './store.ts';

/** What a listing asks for; `maxKeys` is already clamped to 0..1000. */
export interface ListQuery {
  readonly prefix: string;
  readonly delimiter: string;
  readonly maxKeys: number;
  /** Exclusive lower bound (StartAfter / Marker). */
  readonly startAfter: string;
  readonly continuationToken?: string;
}

/**
 * One page of a listing. Invariants: `keys` and `commonPrefixes` are each in S3 order and
 * together hold at most `maxKeys` entries; `nextToken` is set exactly when `isTruncated`.
 */
export interface ListPage {
  readonly keys: string[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextToken?: string;
  /** The last key or common prefix returned (ListObjects v1's NextMarker). */
  readonly last?: string;
}

interface TokenState {
  readonly after: string;
  /** The page ended on a common prefix: every key under it was already rolled up. */
  readonly rolledUp: boolean;
}

function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeToken(token: string): TokenState | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && typeof (value as TokenState).after === 'string' && typeof (value as TokenState).rolledUp === 'boolean') {
      return value as TokenState;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Pages through sorted `keys`; `'bad-token'` when the continuation token is not one we issued. */
export function listPage(keys: readonly string[], q: ListQuery): ListPage | 'bad-token' {
  let token: TokenState | undefined;
  if (q.continuationToken !== undefined) {
    token = decodeToken(q.continuationToken);
    if (!token) return 'bad-token';
  }
  let at = lowerBound(keys, q.prefix);
  if (q.startAfter !== '') at = Math.max(at, lowerBound(keys, q.startAfter, true));
  if (token) {
    at = Math.max(at, lowerBound(keys, token.after, true));
    if (token.rolledUp) while (at < keys.length && (keys[at] as string).startsWith(token.after)) at += 1;
  }
  const page: string[] = [];
  const prefixes: string[] = [];
  let last: TokenState | undefined;
  const inPrefix = (i: number): boolean => i < keys.length && (keys[i] as string).startsWith(q.prefix);
  while (inPrefix(at) && page.length + prefixes.length < q.maxKeys) {
    const key = keys[at] as string;
    const cut = q.delimiter === '' ? -1 : key.indexOf(q.delimiter, q.prefix.length);
    if (cut === -1) {
      page.push(key);
      last = { after: key, rolledUp: false };
      at += 1;
      continue;
    }
    const common = key.slice(0, cut + q.delimiter.length);
    prefixes.push(common);
    last = { after: common, rolledUp: true };
    while (at < keys.length && (keys[at] as string).startsWith(common)) at += 1;
  }
  const isTruncated = inPrefix(at) && last !== undefined;
  return {
    keys: page,
    commonPrefixes: prefixes,
    isTruncated,
    ...(isTruncated && last ? { nextToken: encodeToken(last) } : {}),
    ...(last ? { last: last.after } : {}),
  };
}
