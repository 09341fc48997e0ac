import type { DesiredNode, Json, ObservedResource, ResourceKind, UpdateSemantics } from '../resources/kind.ts';
import { jsonEqual } from './canonical-json.ts';

/** One declared field whose live value differs from poc.yaml, with how it can be changed. */
export interface FieldDifference {
  readonly field: string;
  readonly before: Json | undefined;
  readonly after: Json | undefined;
  readonly semantics: UpdateSemantics;
  readonly sensitive: boolean;
  /** A data content hash (see FieldSpec.content), reported as data-changed. */
  readonly data: boolean;
}

/** Ownership tags missing or different on a kind that supports tags. */
export interface TagDifference {
  readonly before: Readonly<Record<string, string>>;
  readonly after: Readonly<Record<string, string>>;
}

export interface NodeComparison {
  readonly fields: readonly FieldDifference[];
  readonly tags?: TagDifference;
}

/**
 * Compares the declared fields (those both in `node.properties` and in the kind's field specs,
 * sorted by name) and, where the kind supports tags, the ownership tags. Pure; shared by diff and
 * drift so both see the same differences.
 */
export function compareNode(kind: ResourceKind, node: DesiredNode, observed: ObservedResource, ownerTags: Readonly<Record<string, string>>): NodeComparison {
  const fields: FieldDifference[] = [];
  for (const field of Object.keys(node.properties).sort()) {
    const spec = kind.fields[field];
    if (spec === undefined) continue;
    const after = node.properties[field];
    const before = observed.properties[field];
    if (jsonEqual(before ?? null, after ?? null)) continue;
    const semantics = typeof spec.update === 'function' ? spec.update(node.properties, observed.properties) : spec.update;
    fields.push({ field, before, after, semantics, sensitive: spec.sensitive === true, data: spec.content === 'data' });
  }
  if (!kind.supportsTags) return { fields };
  const missing = Object.entries(ownerTags).filter(([k, v]) => observed.tags[k] !== v);
  if (missing.length === 0) return { fields };
  return { fields, tags: { before: { ...observed.tags }, after: { ...observed.tags, ...ownerTags } } };
}
