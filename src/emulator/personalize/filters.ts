import { parseFilterExpression } from '../../filter-expression/index.ts';
import { getDatasetGroup } from './dataset-groups.ts';
import { invalidInput, notFound, PersonalizeError } from './errors.ts';
import { createPhases } from './lifecycle.ts';
import { beginDelete, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { paginate } from './pagination.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

export const FILTER = 'filter';

/** The adjustable quota of filters per dataset group (facts section 8). */
const MAX_FILTERS_PER_GROUP = 10;

/** A filter. The runtime reads both fields; keep their names. Filters are immutable. */
export interface FilterAttrs {
  readonly datasetGroupArn: string;
  readonly filterExpression: string;
}

export function getFilter(state: ServiceState, arn: string): ResourceRecord<FilterAttrs> {
  const record = state.store.find<FilterAttrs>(FILTER, arn);
  if (record === undefined) throw notFound('filter', arn);
  return record;
}

function summary(record: ResourceRecord<FilterAttrs>): Record<string, unknown> {
  return { name: record.name, filterArn: record.arn, datasetGroupArn: record.attrs.datasetGroupArn, ...statusFields(record) };
}

export const filtersModule: KindModule = {
  kind: FILTER,
  operations: {
    CreateFilter: {
      input: structure({
        name: required(NAME),
        datasetGroupArn: required(ARN),
        filterExpression: required({ type: 'string', min: 1, max: 2500 }),
        tags: TAGS,
      }),
      run(state, input) {
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const name = input.string('name');
        const filterExpression = input.string('filterExpression');
        const record = newRecord<FilterAttrs>(state, FILTER, state.arn(`filter/${name}`), name, { datasetGroupArn: group.arn, filterExpression }, mergeTags([], input.tags()));
        requireActive(group, 'dataset group');
        const parsed = parseFilterExpression(filterExpression);
        if (!parsed.ok) throw invalidInput(`Invalid filter expression at column ${parsed.column}: ${parsed.message}.`);
        const inGroup = state.store.list<FilterAttrs>(FILTER).filter((f) => f.attrs.datasetGroupArn === group.arn && !f.status?.startsWith('DELETE'));
        if (inGroup.length >= MAX_FILTERS_PER_GROUP) {
          throw new PersonalizeError('LimitExceededException', `Cannot create a filter. More than ${MAX_FILTERS_PER_GROUP} filters in dataset group ${group.arn}.`);
        }
        state.store.put(record);
        state.lifecycle.begin(record, createPhases(state.ctx.durations.create), { type: 'status', status: 'ACTIVE' });
        state.store.save();
        return { filterArn: record.arn };
      },
    },
    DescribeFilter: {
      input: structure({ filterArn: required(ARN) }),
      run(state, input) {
        const record = getFilter(state, input.string('filterArn'));
        return { filter: { ...summary(record), filterExpression: record.attrs.filterExpression } };
      },
    },
    ListFilters: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run(state, input) {
        const groupArn = input.optString('datasetGroupArn');
        const all = state.store.list<FilterAttrs>(FILTER).filter((f) => groupArn === undefined || f.attrs.datasetGroupArn === groupArn);
        const { page, nextToken } = paginate(all, `ListFilters:${groupArn ?? ''}`, input.optInteger('maxResults'), input.optString('nextToken'));
        // The one List whose result key is capitalised in the service's model.
        return { Filters: page.map(summary), ...(nextToken === undefined ? {} : { nextToken }) };
      },
    },
    DeleteFilter: {
      input: structure({ filterArn: required(ARN) }),
      run(state, input) {
        beginDelete(state, getFilter(state, input.string('filterArn')), 'filter');
        state.store.save();
        return {};
      },
    },
  },
};
