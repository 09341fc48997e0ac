import { closest, error, type Diagnostic } from '../diagnostics/index.ts';
import { parseFilterExpression } from '../filter-expression/index.ts';
import type { DatasetGroupSpec, Manifest } from '../manifest/types.ts';
import { awsName, campaignName, filterName, groupAwsName, recommenderName } from '../manifest/naming.ts';

/** A campaign, recommender or filter of poc.yaml, by `group.key`, with the AWS names it goes by. */
export interface ServingRef {
  readonly kind: 'campaign' | 'recommender' | 'filter';
  /** `group.key` as poc.yaml spells it. */
  readonly ref: string;
  readonly groupKey: string;
  readonly key: string;
  readonly groupName: string;
  readonly name: string;
}

type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

const SECTION = { campaign: 'campaigns', recommender: 'recommenders', filter: 'filters' } as const;

/**
 * Finds `group.key` (or a bare `key`, when one group alone declares it) among poc.yaml's
 * campaigns, recommenders or filters; `within` limits the search to one group (a filter must
 * belong to the campaign's group).
 */
export function resolveRef(manifest: Manifest, kind: ServingRef['kind'], text: string, within?: string): Resolved<ServingRef> {
  const found: ServingRef[] = [];
  const all: string[] = [];
  for (const group of Object.values(manifest.datasetGroups)) {
    if (within !== undefined && group.key !== within) continue;
    for (const [key, spec] of Object.entries(group[SECTION[kind]] ?? {})) {
      const ref = `${group.key}.${key}`;
      all.push(ref);
      if (text === ref || text === key) found.push(refOf(manifest, group, kind, key, (spec as { name?: string }).name));
    }
  }
  if (found.length === 1) return { ok: true, value: found[0] as ServingRef };
  if (found.length > 1) return { ok: false, diagnostic: error('ambiguous-reference', `'${text}' names a ${kind} in several dataset groups: ${found.map((f) => f.ref).join(', ')}.`, { hint: 'Give it as group.key.' }) };
  // A right key in the wrong group is the likeliest slip; then a typo in the whole reference.
  const keyPart = text.slice(text.indexOf('.') + 1);
  const guess = all.find((r) => r.slice(r.indexOf('.') + 1) === keyPart) ?? closest(text, all) ?? all.find((r) => closest(keyPart, [r.slice(r.indexOf('.') + 1)]) !== undefined);
  const where = within === undefined ? 'poc.yaml' : `dataset group ${within}`;
  const known = all.length === 0 ? `${where} declares no ${SECTION[kind]}` : `known: ${all.join(', ')}`;
  return { ok: false, diagnostic: error(`unknown-${kind}`, `No ${kind} '${text}' in ${where}.${guess === undefined ? '' : ` Did you mean '${guess}'?`} (${known})`) };
}

function refOf(manifest: Manifest, group: DatasetGroupSpec, kind: ServingRef['kind'], key: string, override: string | undefined): ServingRef {
  const make = kind === 'campaign' ? campaignName : kind === 'recommender' ? recommenderName : filterName;
  return { kind, ref: `${group.key}.${key}`, groupKey: group.key, key, groupName: groupAwsName(manifest.name, group), name: awsName(override, make(manifest.name, group.key, key)) };
}

/**
 * `--values NAME=v1,v2;OTHER=v` as the API's `filterValues` (each value quoted, comma-separated),
 * checked against the parameters the filter's expression declares.
 */
export function filterValuesOf(text: string | undefined, expression: string): Resolved<Record<string, string>> {
  const parsed = parseFilterExpression(expression);
  const declared = parsed.ok ? parsed.expression.parameters : [];
  const out: Record<string, string> = {};
  if (text === undefined) return { ok: true, value: out };
  for (const part of text.split(';').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().replace(/^\$/, '');
    if (eq < 0 || name === '') return { ok: false, diagnostic: error('invalid-option-value', `--values takes NAME=v1,v2 (several separated by ;); got '${part}'.`) };
    if (!declared.includes(name)) {
      const guess = closest(name, declared);
      const known = declared.length === 0 ? 'the filter has no parameters' : `its parameters: ${declared.map((d) => `$${d}`).join(', ')}`;
      return { ok: false, diagnostic: error('unknown-filter-parameter', `The filter has no parameter $${name}.${guess === undefined ? '' : ` Did you mean '${guess}'?`} (${known})`) };
    }
    const values = part.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '');
    out[name] = values.map((v) => (v.startsWith('"') && v.endsWith('"') && v.length > 1 ? v : `"${v.replaceAll('"', '')}"`)).join(',');
  }
  return { ok: true, value: out };
}
