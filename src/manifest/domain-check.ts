import { error, warning } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { DOMAIN_FIELDS } from '../data/domain-rules.ts';
import { DATASET_TYPE_OF } from './types.ts';
import type { DatasetKey, Domain, SchemaSpec } from './types.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import type { ManifestContext } from './files.ts';

/** A dataset group as far as these checks need it: its domain and which schema each dataset uses. */
export interface GroupUse {
  readonly key: string;
  readonly domain: Domain | undefined;
  readonly schemaOf: Partial<Record<DatasetKey, string>>;
}

function baseType(type: string | readonly string[]): string | undefined {
  return typeof type === 'string' ? type : type.find((t) => t !== 'null');
}

/**
 * Checks what dataset groups ask of their schemas: a domain group needs certain fields; a schema
 * carries one domain in AWS, so one schema key cannot serve groups of different domains; and a
 * group without interactions can hold data but never train.
 */
export function checkGroupUse(groups: readonly GroupUse[], schemas: ReadonlyMap<string, SchemaSpec>, ctx: ManifestContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DocPath, onKey = false): ReturnType<typeof where> => where(ctx.source, path, onKey);
  const firstUse = new Map<string, GroupUse>();
  for (const group of groups) {
    if (group.schemaOf.interactions === undefined) {
      out.push(warning('no-interactions-dataset', `dataset group ${group.key} has no interactions dataset, so no solution can be trained in it`, at(['datasetGroups', group.key], true)));
    }
    for (const [datasetKey, schemaKey] of Object.entries(group.schemaOf) as [DatasetKey, string][]) {
      const ref = at(['datasetGroups', group.key, 'datasets', datasetKey, 'schema']);
      const earlier = firstUse.get(schemaKey);
      if (earlier === undefined) firstUse.set(schemaKey, group);
      else if (earlier.domain !== group.domain) {
        out.push(
          error(
            'schema-domain-conflict',
            `schema "${schemaKey}" is used by dataset group ${earlier.key} (${earlier.domain ?? 'custom'}) and ${group.key} (${group.domain ?? 'custom'}); a schema belongs to one domain`,
            { ...ref, hint: 'declare a second schema key with the same file for one of the groups' },
          ),
        );
      }
      const spec = schemas.get(schemaKey);
      // The data layer's table of domain fields: the required ones must be in the schema.
      const required = group.domain === undefined ? [] : (DOMAIN_FIELDS[group.domain][DATASET_TYPE_OF[datasetKey]] ?? []).filter((f) => f.required);
      if (spec === undefined) continue;
      for (const need of required) {
        const field = spec.avro.fields.find((f) => f.name === need.name);
        const ok = field !== undefined && baseType(field.type) === need.type && (need.categorical !== true || field.categorical === true);
        if (!ok) {
          out.push(
            error(
              'domain-schema-field',
              `a ${group.domain} dataset group needs a ${need.name} field of type ${need.type}${need.categorical === true ? ' marked categorical' : ''} in its ${datasetKey} schema ("${schemaKey}")`,
              ref,
            ),
          );
        }
      }
    }
  }
  return out;
}
