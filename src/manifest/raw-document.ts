/**
 * Reading poc.yaml's raw document defensively. The semantic checks also run on a document with
 * JSON Schema errors (so one run reports both kinds of problem), so they test each value's shape
 * before using it, and check generated names only when their parts are well-formed.
 */

/** The same patterns as schemas/poc.schema.json: names are only checked when they are well-formed. */
const POC_NAME = /^[a-z][a-z0-9-]*$/;
export const KEY = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** `v` when it is a mapping, else undefined. */
export function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The document's `name` when it is a well-formed POC name: the prefix of every generated name. */
export function wellFormedPocName(root: Record<string, unknown>): string | undefined {
  const name = root['name'];
  return typeof name === 'string' && POC_NAME.test(name) ? name : undefined;
}
