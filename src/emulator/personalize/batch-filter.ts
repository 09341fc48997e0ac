import { bindFilter, parseFilterExpression, type FilterExpression } from '../../filter-expression/index.ts';
import type { FilterDataCache } from '../runtime/filter-data.ts';
import { StateView } from '../runtime/state-view.ts';
import { FILTER, type FilterAttrs } from './filters.ts';
import type { Store } from './store.ts';

/** A per-line filter decision: a predicate over candidate ids, or why the line cannot be answered. */
export type LineFilter = { readonly ok: true; readonly keep: (id: string) => boolean } | { readonly ok: false; readonly message: string };

/**
 * A job's filter, bound to the dataset group's data as committed when the job runs. Item
 * filters apply per input line (the user's own interactions, the line's `filterValues`); user
 * filters (segments) apply once per job.
 */
export interface BatchFilter {
  readonly target: FilterExpression['target'];
  forLine(request: { readonly userId?: string; readonly itemId?: string; readonly filterValues?: Readonly<Record<string, string>> }): LineFilter;
}

/** The filter record's expression, parsed; a string says why it cannot be used. */
export function filterExpressionOf(store: Store, filterArn: string): FilterExpression | string {
  const filter = store.find<FilterAttrs>(FILTER, filterArn);
  if (filter === undefined) return `Filter ${filterArn} does not exist.`;
  const parsed = parseFilterExpression(filter.attrs.filterExpression);
  return parsed.ok ? parsed.expression : `Filter ${filterArn} has an invalid expression: ${parsed.message}`;
}

/**
 * Binds the job's filter to its dataset group's data as the runtime's filters see it (imported
 * rows plus events put since, through the runtime's cache); a string says why the job cannot use it.
 */
export async function batchFilterFor(store: Store, cache: FilterDataCache, filterArn: string, groupArn: string): Promise<BatchFilter | string> {
  const expression = filterExpressionOf(store, filterArn);
  if (typeof expression === 'string') return expression;
  const data = await cache.forExpression(new StateView(store.dir), groupArn, expression);
  return {
    target: expression.target,
    forLine(request) {
      const bound = bindFilter(expression, data, request);
      return bound.ok ? { ok: true, keep: (id) => bound.passes(id) } : { ok: false, message: bound.message };
    },
  };
}
