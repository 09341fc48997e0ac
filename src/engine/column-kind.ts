import type { ColumnKind } from './data-builder.ts';

/**
 * How a metadata column feeds the models, from its Avro declaration: categorical and textual
 * strings by their flags, numbers as numeric; other strings and booleans carry no signal for
 * the service's models. `type` is the non-null member of a nullable union. One rule, shared by
 * the emulator's trainer and the report's local re-evaluation, so both see the same data.
 */
export function columnKindOf(field: { readonly type: string; readonly categorical?: boolean; readonly textual?: boolean }): ColumnKind {
  if (field.categorical === true) return 'categorical';
  if (field.textual === true) return 'textual';
  return field.type === 'int' || field.type === 'long' || field.type === 'float' || field.type === 'double' ? 'numeric' : 'ignored';
}
