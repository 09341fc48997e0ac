import { invalidInput, notFound } from './errors.ts';
import { getDataset } from './datasets.ts';
import { ImportRunner, type ImportJobAttrs, type ImportMode } from './import-runner.ts';
import { beginJob, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, ROLE_ARN, S3_PATH, TAGS, required, structure } from './shapes.ts';
import type { ResourceRecord } from './store.ts';
import { mergeTags } from './tags.ts';

export const DATASET_IMPORT_JOB = 'datasetImportJob';

function getJob(state: ServiceState, arn: string): ResourceRecord<ImportJobAttrs> {
  const record = state.store.find<ImportJobAttrs>(DATASET_IMPORT_JOB, arn);
  if (record === undefined) throw notFound('dataset import job', arn);
  return record;
}

function summary(record: ResourceRecord<ImportJobAttrs>): Record<string, unknown> {
  return { datasetImportJobArn: record.arn, jobName: record.name, ...statusFields(record), importMode: record.attrs.importMode };
}

export const importJobsModule: KindModule = {
  kind: DATASET_IMPORT_JOB,
  hooks: (state) => {
    const runner = new ImportRunner(state.store, state.ctx.objects);
    runner.sweep();
    return { work: (record, signal) => runner.run(record as ResourceRecord<ImportJobAttrs>, signal) };
  },
  operations: {
    CreateDatasetImportJob: {
      input: structure({
        jobName: required(NAME),
        datasetArn: required(ARN),
        dataSource: required(structure({ dataLocation: S3_PATH })),
        roleArn: ROLE_ARN,
        tags: TAGS,
        importMode: { type: 'string', enum: ['FULL', 'INCREMENTAL'] },
        publishAttributionMetricsToS3: { type: 'boolean' },
      }),
      run(state, input) {
        const dataset = getDataset(state, input.string('datasetArn'));
        const dataLocation = input.object('dataSource').dataLocation;
        if (typeof dataLocation !== 'string') throw invalidInput('dataSource.dataLocation is required.');
        const importMode = (input.optString('importMode') ?? 'FULL') as ImportMode;
        const roleArn = input.optString('roleArn');
        const publish = input.optBoolean('publishAttributionMetricsToS3');
        const attrs: ImportJobAttrs = {
          datasetArn: dataset.arn,
          dataLocation,
          importMode,
          ...(roleArn === undefined ? {} : { roleArn }),
          ...(publish === undefined ? {} : { publishAttributionMetricsToS3: publish }),
        };
        const name = input.string('jobName');
        const tags = mergeTags([], input.tags());
        const record = newRecord(state, DATASET_IMPORT_JOB, state.arn(`dataset-import-job/${name}`), name, attrs, tags);
        requireActive(dataset, 'dataset');
        if (importMode === 'INCREMENTAL' && dataset.attrs.data === undefined) {
          throw invalidInput(`An INCREMENTAL import needs an earlier bulk import into dataset ${dataset.arn}; use FULL first.`);
        }
        beginJob(state, record, ['CREATE PENDING', 'CREATE IN_PROGRESS']);
        state.store.save();
        return { datasetImportJobArn: record.arn };
      },
    },
    DescribeDatasetImportJob: {
      input: structure({ datasetImportJobArn: required(ARN) }),
      run(state, input) {
        const record = getJob(state, input.string('datasetImportJobArn'));
        const { datasetArn, dataLocation, roleArn, publishAttributionMetricsToS3 } = record.attrs;
        return {
          datasetImportJob: {
            ...summary(record),
            datasetArn,
            dataSource: { dataLocation },
            ...(roleArn === undefined ? {} : { roleArn }),
            ...(publishAttributionMetricsToS3 === undefined ? {} : { publishAttributionMetricsToS3 }),
          },
        };
      },
    },
    ListDatasetImportJobs: {
      input: structure({ datasetArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<ImportJobAttrs>(state, input, { operation: 'ListDatasetImportJobs', kind: DATASET_IMPORT_JOB, parent: 'datasetArn', key: 'datasetImportJobs' }, summary),
    },
  },
};
