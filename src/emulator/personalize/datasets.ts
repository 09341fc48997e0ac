import type { SchemaField } from './avro.ts';
import { removeDatasetData, type DatasetData } from './data-store.ts';
import { inUse, invalidInput, notFound } from './errors.ts';
import { updatePhases } from './lifecycle.ts';
import { beginCreate, beginDelete, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { epochSeconds } from './protocol.ts';
import { listRecords } from './pagination.ts';
import { getDatasetGroup } from './dataset-groups.ts';
import { getSchema } from './schemas.ts';
import { trainingOnGroup } from './solution-types.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord, ResourceStatus } from './store.ts';
import { mergeTags } from './tags.ts';

export const DATASET = 'dataset';

/** The dataset types, as Describe reports them (requests may use any case). */
export type DatasetType = 'INTERACTIONS' | 'ITEMS' | 'USERS' | 'ACTIONS' | 'ACTION_INTERACTIONS';

/** Fields each type's schema must declare, with their Avro type (from the dataset requirements). */
const REQUIRED_FIELDS: Readonly<Record<DatasetType, readonly (readonly [string, SchemaField['type']])[]>> = {
  INTERACTIONS: [['USER_ID', 'string'], ['ITEM_ID', 'string'], ['TIMESTAMP', 'long']],
  ITEMS: [['ITEM_ID', 'string']],
  USERS: [['USER_ID', 'string']],
  ACTIONS: [['ACTION_ID', 'string']],
  ACTION_INTERACTIONS: [['USER_ID', 'string'], ['ACTION_ID', 'string'], ['TIMESTAMP', 'long'], ['EVENT_TYPE', 'string']],
};

/** The column that identifies a record; INCREMENTAL imports replace rows with the same id. */
export const ID_COLUMN: Readonly<Record<DatasetType, string | undefined>> = {
  INTERACTIONS: undefined,
  ITEMS: 'ITEM_ID',
  USERS: 'USER_ID',
  ACTIONS: 'ACTION_ID',
  ACTION_INTERACTIONS: undefined,
};

export interface DatasetUpdate {
  schemaArn: string;
  status: ResourceStatus;
  createdAt: number;
  updatedAt: number;
}

/**
 * Invariants: `schemaArn` is the schema imports are checked against; `pendingSchemaArn` is set
 * only while an UpdateDataset runs and replaces `schemaArn` when it settles; `data` is the last
 * committed import (absent before the first one).
 */
export interface DatasetAttrs {
  readonly datasetGroupArn: string;
  readonly datasetType: DatasetType;
  schemaArn: string;
  pendingSchemaArn?: string;
  latestUpdate?: DatasetUpdate;
  data?: DatasetData;
}

export function getDataset(state: ServiceState, arn: string): ResourceRecord<DatasetAttrs> {
  const record = state.store.find<DatasetAttrs>(DATASET, arn);
  if (record === undefined) throw notFound('dataset', arn);
  return record;
}

function datasetType(value: string): DatasetType {
  const upper = value.toUpperCase();
  if (upper in REQUIRED_FIELDS) return upper as DatasetType;
  throw invalidInput(`Invalid dataset type ${value}. Valid types: Interactions, Items, Users, Actions, Action_Interactions.`);
}

function checkSchemaFits(type: DatasetType, fields: readonly SchemaField[]): void {
  for (const [name, fieldType] of REQUIRED_FIELDS[type]) {
    const field = fields.find((f) => f.name === name);
    if (field === undefined || field.type !== fieldType || field.nullable) {
      throw invalidInput(`The schema for a ${type} dataset must have a required field ${name} of type ${fieldType}.`);
    }
  }
  if (type !== 'INTERACTIONS' && type !== 'ACTION_INTERACTIONS' && fields.length < 2) {
    throw invalidInput(`The schema for a ${type} dataset must have at least one metadata field.`);
  }
}

/** UpdateDataset's rule: every old field kept with the same type and nullability; new fields nullable. */
function checkCompatible(oldFields: readonly SchemaField[], newFields: readonly SchemaField[]): void {
  for (const old of oldFields) {
    const now = newFields.find((f) => f.name === old.name);
    if (now === undefined) throw invalidInput(`The new schema drops field ${old.name}; an updated schema must keep every field.`);
    if (now.type !== old.type || now.nullable !== old.nullable || now.categorical !== old.categorical || now.textual !== old.textual) {
      throw invalidInput(`The new schema changes field ${old.name}; existing fields must keep their type and attributes.`);
    }
  }
  for (const added of newFields) {
    if (!added.nullable && !oldFields.some((f) => f.name === added.name)) {
      throw invalidInput(`New field ${added.name} must be nullable (a union with "null").`);
    }
  }
}

function summary(record: ResourceRecord<DatasetAttrs>): Record<string, unknown> {
  return { name: record.name, datasetArn: record.arn, datasetType: record.attrs.datasetType, ...statusFields(record) };
}

function describe(record: ResourceRecord<DatasetAttrs>): Record<string, unknown> {
  const update = record.attrs.latestUpdate;
  return {
    ...summary(record),
    datasetGroupArn: record.attrs.datasetGroupArn,
    schemaArn: record.attrs.schemaArn,
    ...(update === undefined
      ? {}
      : {
          latestDatasetUpdate: {
            schemaArn: update.schemaArn,
            status: update.status,
            creationDateTime: epochSeconds(update.createdAt),
            lastUpdatedDateTime: epochSeconds(update.updatedAt),
          },
        }),
  };
}

const IN_FLIGHT: ReadonlySet<string> = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);

export const datasetsModule: KindModule = {
  kind: DATASET,
  hooks: (state) => ({
    onStatus(raw) {
      const record = raw as ResourceRecord<DatasetAttrs>;
      const { attrs } = record;
      if (attrs.latestUpdate === undefined || attrs.pendingSchemaArn === undefined) return;
      attrs.latestUpdate.status = record.status ?? 'ACTIVE';
      attrs.latestUpdate.updatedAt = record.updatedAt;
      if (record.status === 'ACTIVE') {
        attrs.schemaArn = attrs.pendingSchemaArn;
        delete attrs.pendingSchemaArn;
      }
    },
    onRemoved(raw) {
      for (const other of [...state.store.all()]) {
        if ((other.attrs as { datasetArn?: string }).datasetArn === raw.arn) state.store.remove(other.arn);
      }
      removeDatasetData(state.store.dir, raw.arn);
    },
  }),
  operations: {
    CreateDataset: {
      input: structure({
        name: required(NAME),
        schemaArn: required(ARN),
        datasetGroupArn: required(ARN),
        datasetType: required({ type: 'string', max: 256 }),
        tags: TAGS,
      }),
      run(state, input) {
        const type = datasetType(input.string('datasetType'));
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const schema = getSchema(state, input.string('schemaArn'));
        const tags = mergeTags([], input.tags());
        const arn = state.arn(`dataset/${group.name}/${type}`);
        const record = newRecord<DatasetAttrs>(state, DATASET, arn, input.string('name'), { datasetGroupArn: group.arn, datasetType: type, schemaArn: schema.arn }, tags);
        requireActive(group, 'dataset group');
        checkSchemaFits(type, schema.attrs.fields);
        if (group.attrs.domain !== schema.attrs.domain) {
          throw invalidInput(`The schema's domain (${schema.attrs.domain ?? 'none'}) must match the dataset group's (${group.attrs.domain ?? 'none'}).`);
        }
        if (group.attrs.domain !== undefined && (type === 'ACTIONS' || type === 'ACTION_INTERACTIONS')) {
          throw invalidInput(`${type} datasets cannot be created in a Domain dataset group.`);
        }
        beginCreate(state, record);
        state.store.save();
        return { datasetArn: record.arn };
      },
    },
    DescribeDataset: {
      input: structure({ datasetArn: required(ARN) }),
      run(state, input) {
        return { dataset: describe(getDataset(state, input.string('datasetArn'))) };
      },
    },
    ListDatasets: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<DatasetAttrs>(state, input, { operation: 'ListDatasets', kind: DATASET, parent: 'datasetGroupArn', key: 'datasets' }, summary),
    },
    UpdateDataset: {
      input: structure({ datasetArn: required(ARN), schemaArn: required(ARN) }),
      run(state, input) {
        const record = getDataset(state, input.string('datasetArn'));
        const schema = getSchema(state, input.string('schemaArn'));
        const type = record.attrs.datasetType;
        if (type !== 'ITEMS' && type !== 'USERS') throw invalidInput(`Only Items and Users datasets can be updated; ${record.arn} is ${type}.`);
        if (record.status !== 'ACTIVE') throw inUse(`Dataset ${record.arn} is in status ${record.status ?? 'unknown'}; it must be ACTIVE to update.`);
        checkCompatible(getSchema(state, record.attrs.schemaArn).attrs.fields, schema.attrs.fields);
        const now = state.ctx.now();
        record.attrs.pendingSchemaArn = schema.arn;
        record.attrs.latestUpdate = { schemaArn: schema.arn, status: 'UPDATE PENDING', createdAt: now, updatedAt: now };
        state.lifecycle.begin(record, updatePhases(state.ctx.durations.update), { type: 'status', status: 'ACTIVE' });
        state.store.save();
        return { datasetArn: record.arn };
      },
    },
    DeleteDataset: {
      input: structure({ datasetArn: required(ARN) }),
      run(state, input) {
        const record = getDataset(state, input.string('datasetArn'));
        for (const other of state.store.all()) {
          if ((other.attrs as { datasetArn?: string }).datasetArn === record.arn && IN_FLIGHT.has(other.status ?? '')) {
            throw inUse(`Dataset ${record.arn} has ${other.arn} in status ${other.status ?? ''}; wait for it to finish.`);
          }
        }
        const training = trainingOnGroup(state, record.attrs.datasetGroupArn);
        if (training !== undefined) {
          throw inUse(`Dataset ${record.arn} is being trained on by ${training.arn} (status ${training.status ?? ''}); wait for it to finish or stop it.`);
        }
        beginDelete(state, record, 'dataset');
        state.store.save();
        return {};
      },
    },
  },
};
