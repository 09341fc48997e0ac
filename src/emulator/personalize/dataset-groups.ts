import { inUse, invalidInput, notFound } from './errors.ts';
import { beginCreate, beginDelete, newRecord, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, DOMAIN, KMS_KEY_ARN, MAX_RESULTS, NAME, NEXT_TOKEN, ROLE_ARN, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

export const DATASET_GROUP = 'datasetGroup';

export interface DatasetGroupAttrs {
  readonly domain?: string;
  readonly roleArn?: string;
  readonly kmsKeyArn?: string;
}

/** The group, or ResourceNotFoundException (also for a group that finished deleting). */
export function getDatasetGroup(state: ServiceState, arn: string): ResourceRecord<DatasetGroupAttrs> {
  const record = state.store.find<DatasetGroupAttrs>(DATASET_GROUP, arn);
  if (record === undefined) throw notFound('dataset group', arn);
  return record;
}

/** Resources that name this group as their parent; the group cannot go while any remains. */
function dependents(state: ServiceState, groupArn: string): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const record of state.store.all()) {
    if ((record.attrs as { datasetGroupArn?: string }).datasetGroupArn === groupArn) out.push(record);
  }
  return out;
}

function summary(record: ResourceRecord<DatasetGroupAttrs>): Record<string, unknown> {
  return { name: record.name, datasetGroupArn: record.arn, ...statusFields(record), ...(record.attrs.domain === undefined ? {} : { domain: record.attrs.domain }) };
}

export const datasetGroupsModule: KindModule = {
  kind: DATASET_GROUP,
  operations: {
    CreateDatasetGroup: {
      input: structure({ name: required(NAME), roleArn: ROLE_ARN, kmsKeyArn: KMS_KEY_ARN, domain: DOMAIN, tags: TAGS }),
      run(state, input) {
        const kmsKeyArn = input.optString('kmsKeyArn');
        const roleArn = input.optString('roleArn');
        if ((roleArn === undefined) !== (kmsKeyArn === undefined)) {
          throw invalidInput('A roleArn is required with a kmsKeyArn, and only valid with one.');
        }
        const domain = input.optString('domain');
        const attrs: DatasetGroupAttrs = {
          ...(domain === undefined ? {} : { domain }),
          ...(roleArn === undefined ? {} : { roleArn }),
          ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
        };
        const name = input.string('name');
        // The per-region quota of active dataset groups is adjustable, so the emulator does not impose it.
        const record = newRecord(state, DATASET_GROUP, state.arn(`dataset-group/${name}`), name, attrs, mergeTags([], input.tags()));
        beginCreate(state, record);
        state.store.save();
        return { datasetGroupArn: record.arn, ...(domain === undefined ? {} : { domain }) };
      },
    },
    DescribeDatasetGroup: {
      input: structure({ datasetGroupArn: required(ARN) }),
      run(state, input) {
        const record = getDatasetGroup(state, input.string('datasetGroupArn'));
        const { roleArn, kmsKeyArn } = record.attrs;
        return {
          datasetGroup: {
            ...summary(record),
            ...(roleArn === undefined ? {} : { roleArn }),
            ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
          },
        };
      },
    },
    ListDatasetGroups: {
      input: structure({ nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<DatasetGroupAttrs>(state, input, { operation: 'ListDatasetGroups', kind: DATASET_GROUP, key: 'datasetGroups' }, summary),
    },
    DeleteDatasetGroup: {
      input: structure({ datasetGroupArn: required(ARN) }),
      run(state, input) {
        const record = getDatasetGroup(state, input.string('datasetGroupArn'));
        const children = dependents(state, record.arn);
        if (children.length > 0) {
          throw inUse(`Dataset group ${record.arn} still has resources: ${children.map((c) => c.arn).join(', ')}. Delete them first.`);
        }
        beginDelete(state, record, 'dataset group');
        state.store.save();
        return {};
      },
    },
  },
};
