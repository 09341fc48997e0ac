import { parseAvroSchema, type SchemaField } from './avro.ts';
import { inUse, invalidInput, notFound } from './errors.ts';
import { newRecord, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, DOMAIN, MAX_RESULTS, NAME, NEXT_TOKEN, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';

export const SCHEMA = 'schema';

/** Invariant: `fields` is the parse of `schema`, kept so imports need not parse it again. */
export interface SchemaAttrs {
  readonly schema: string;
  readonly fields: readonly SchemaField[];
  readonly domain?: string;
}

export function getSchema(state: ServiceState, arn: string): ResourceRecord<SchemaAttrs> {
  const record = state.store.find<SchemaAttrs>(SCHEMA, arn);
  if (record === undefined) throw notFound('schema', arn);
  return record;
}

function summary(record: ResourceRecord<SchemaAttrs>): Record<string, unknown> {
  return { name: record.name, schemaArn: record.arn, ...statusFields(record), ...(record.attrs.domain === undefined ? {} : { domain: record.attrs.domain }) };
}

/** Schemas have no status and no tags: they exist from the moment CreateSchema answers. */
export const schemasModule: KindModule = {
  kind: SCHEMA,
  operations: {
    CreateSchema: {
      input: structure({ name: required(NAME), schema: required({ type: 'string', max: 20000 }), domain: DOMAIN }),
      run(state, input) {
        const fields = parseAvroSchema(input.string('schema'));
        if (typeof fields === 'string') throw invalidInput(`Invalid schema: ${fields}`);
        const name = input.string('name');
        const domain = input.optString('domain');
        const attrs: SchemaAttrs = { schema: input.string('schema'), fields, ...(domain === undefined ? {} : { domain }) };
        const record = newRecord(state, SCHEMA, state.arn(`schema/${name}`), name, attrs, []);
        state.store.put(record);
        state.store.save();
        return { schemaArn: record.arn };
      },
    },
    DescribeSchema: {
      input: structure({ schemaArn: required(ARN) }),
      run(state, input) {
        const record = getSchema(state, input.string('schemaArn'));
        return { schema: { ...summary(record), schema: record.attrs.schema } };
      },
    },
    ListSchemas: {
      input: structure({ nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<SchemaAttrs>(state, input, { operation: 'ListSchemas', kind: SCHEMA, key: 'schemas' }, summary),
    },
    DeleteSchema: {
      input: structure({ schemaArn: required(ARN) }),
      run(state, input) {
        const record = getSchema(state, input.string('schemaArn'));
        for (const other of state.store.all()) {
          const attrs = other.attrs as { schemaArn?: string; pendingSchemaArn?: string };
          if (attrs.schemaArn === record.arn || attrs.pendingSchemaArn === record.arn) {
            throw inUse(`Schema ${record.arn} is used by ${other.arn}.`);
          }
        }
        state.store.remove(record.arn);
        state.store.save();
        return {};
      },
    },
  },
};
