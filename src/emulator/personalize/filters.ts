import { parseFilterExpression } from '../../filter-expression/index.ts';
import { getDatasetGroup } from './dataset-groups.ts';
import { invalidInput, notFound } from './errors.ts';
import { beginCreate, beginDelete, checkGroupQuota, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
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
        checkGroupQuota(state, FILTER, group.arn, MAX_FILTERS_PER_GROUP, 'filter');
        beginCreate(state, record);
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
        // The one List whose result key is capitalised in the service's model.
        return listRecords<FilterAttrs>(state, input, { operation: 'ListFilters', kind: FILTER, parent: 'datasetGroupArn', key: 'Filters' }, summary);
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
