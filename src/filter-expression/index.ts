export type * from './types.ts';
export { MAX_FILTER_EXPRESSION_LENGTH, MAX_FILTER_FIELDS, conditions, parseFilterExpression } from './parse.ts';
export type { BoundFilter, FilterData, FilterInteraction, FilterRequest, MetadataRow } from './evaluate.ts';
export { INTERACTIONS_PER_EVENT_TYPE, bindFilter, fieldsRead } from './evaluate.ts';
export { parseFilterValue } from './values.ts';
