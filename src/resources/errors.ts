/**
 * SDK error classification by the service's error name (its `__type` / S3 `Code` /
 * CloudFormation `Code`), never by message text, except where CloudFormation gives no other
 * signal: a missing stack is a generic `ValidationError` whose message says "does not exist".
 */
export function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function errorMessage(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'NotFound', 'NoSuchBucket', 'NoSuchKey', 'NoSuchEntityException', 'ChangeSetNotFound', 'ChangeSetNotFoundException']);

export function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  if (name !== undefined && NOT_FOUND.has(name)) return true;
  return name === 'ValidationError' && /does not exist/i.test(errorMessage(err));
}

const ALREADY_EXISTS = new Set(['ResourceAlreadyExistsException', 'AlreadyExistsException', 'BucketAlreadyOwnedByYou', 'EntityAlreadyExistsException']);

export function isAlreadyExists(err: unknown): boolean {
  const name = errorName(err);
  return name !== undefined && ALREADY_EXISTS.has(name);
}

/** Runs `call`; a not-found error becomes `undefined`, anything else propagates. */
export async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Runs a create call; "already exists" counts as done, as a crashed run created the resource and
 * the executor then compares what is there with poc.yaml (adoption, not failure).
 */
export async function createOrAdopt(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
