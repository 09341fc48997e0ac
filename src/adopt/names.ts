import { MAX_NAME_LENGTH, checkName, datasetGroupName, longestGroupName, solutionName } from '../manifest/naming.ts';

/** The POC name rule (schemas/poc.schema.json): lower-case letters, digits, hyphens, a letter first. */
const POC_NAME = /^[a-z][a-z0-9-]*$/;
const KEY = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/**
 * A default POC name short enough that every generated name of a group keyed `main` (its import
 * jobs with a retry suffix are the longest) fits the service's 63 characters.
 */
const DEFAULT_POC_NAME_LENGTH = 32;

/** The group key `poc import` uses when the group's name does not start with `<poc>-`. */
export const DEFAULT_GROUP_KEY = 'main';

/** A POC name from a console name: `My_Retail POC` -> `my-retail-poc`. */
export function derivePocName(groupName: string): string {
  let name = groupName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (name === '') return 'adopted';
  if (!/^[a-z]/.test(name)) name = `poc-${name}`;
  return name.slice(0, DEFAULT_POC_NAME_LENGTH).replace(/-+$/, '');
}

export function isPocName(name: string): boolean {
  return POC_NAME.test(name) && name.length <= 40;
}

/**
 * The group's key: what follows `<poc>-` when the group is named that way (then its generated
 * name is its name and poc.yaml needs no `name:`), else {@link DEFAULT_GROUP_KEY}.
 */
export function groupKeyFor(pocName: string, groupName: string, datasetKeys: readonly string[]): string {
  const prefix = `${pocName}-`;
  const rest = groupName.startsWith(prefix) ? groupName.slice(prefix.length) : '';
  if (KEY.test(rest) && datasetGroupName(pocName, rest) === groupName && checkName(longestGroupName(pocName, rest, datasetKeys)) === undefined) return rest;
  return DEFAULT_GROUP_KEY;
}

/**
 * The key of a resource named `<poc>-<group>-<key>` when generated (solutions, campaigns, filters,
 * recommenders) from its AWS name: without the group's name or `<poc>-<group key>-` in front,
 * other characters as `-`, short enough that its generated name fits, and unlike `taken`.
 */
export function memberKeyFor(pocName: string, groupKey: string, groupName: string, name: string, taken: ReadonlySet<string>): string {
  const prefixes = [`${pocName}-${groupKey}-`, `${groupName}-`];
  const stripped = prefixes.reduce((n, p) => (n.startsWith(p) && n.length > p.length ? n.slice(p.length) : n), name);
  const room = MAX_NAME_LENGTH - solutionName(pocName, groupKey, '').length;
  let key = stripped.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, Math.max(room, 1));
  if (key === '') key = 'adopted';
  for (let n = 2; taken.has(key); n++) key = `${key.slice(0, Math.max(room - String(n).length - 1, 1))}-${n}`;
  return key;
}
