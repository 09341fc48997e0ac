/**
 * Error names the services use for "it is already there" and "it is not there". Matching on the
 * SDK's structured `name` (never on message text) keeps create and delete idempotent.
 */
const ALREADY_EXISTS = new Set(['ResourceAlreadyExistsException', 'AlreadyExistsException', 'BucketAlreadyOwnedByYou', 'EntityAlreadyExistsException']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'NoSuchBucket', 'NoSuchEntityException', 'NotFound']);

export function isAlreadyExists(cause: unknown): boolean {
  return cause instanceof Error && ALREADY_EXISTS.has(cause.name);
}

export function isNotFound(cause: unknown): boolean {
  return cause instanceof Error && NOT_FOUND.has(cause.name);
}
