import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateCampaignCommand,
  CreateDatasetImportJobCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeCampaignCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
  type CreateSolutionCommandInput,
  type Domain,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { waitFor } from '../emulator/personalize-helpers.ts';

export const ROLE = 'arn:aws:iam::000000000000:role/ConsolePersonalizeRole';
export const BUCKET = 'console-bucket';

/**
 * `rows` interactions over `users` users and 97 items, with a header and spacing the console's
 * sample files have. Deterministic, so a test can compare bytes.
 */
export function interactionsCsv(rows: number, users: number): string {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let i = 0; i < rows; i += 1) lines.push(`u${i % users},i${(i * 7) % 97},${1_700_000_000 + i},${i % 3 === 0 ? 'purchase' : 'click'}`);
  return `${lines.join('\n')}\n`;
}

/** A schema body as someone typed it in the console: indented, keys in no canonical order. */
export const CONSOLE_INTERACTIONS_SCHEMA = `{
  "type": "record",
  "name": "Interactions",
  "namespace": "com.amazonaws.personalize.schema",
  "fields": [
    { "name": "USER_ID", "type": "string" },
    { "name": "ITEM_ID", "type": "string" },
    { "name": "TIMESTAMP", "type": "long" },
    { "name": "EVENT_TYPE", "type": "string" }
  ],
  "version": "1.0"
}`;

export interface ConsoleDataset {
  readonly type: 'Interactions' | 'Items' | 'Users';
  readonly name: string;
  readonly schemaName: string;
  readonly schema: string;
  readonly csv: string;
  /** S3 key of the data object; absent: the dataset has no import job. */
  readonly key?: string;
  /** Import from this S3 URI instead (a prefix, say); the object at `key` is still uploaded. */
  readonly dataLocation?: string;
}

/**
 * Builds a dataset group the way a console user does: untagged, console-style names, data
 * imported from an object of their own bucket. Returns the group's ARN and the dataset ARNs.
 */
export async function consoleGroup(p: PersonalizeClient, s3: S3Client, name: string, datasets: readonly ConsoleDataset[], domain?: Domain): Promise<{ groupArn: string; datasetArns: string[] }> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err: unknown) => {
    if ((err as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw err;
  });
  const { datasetGroupArn = '' } = await p.send(new CreateDatasetGroupCommand({ name, ...(domain === undefined ? {} : { domain }) }));
  await waitFor(() => p.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (r) => r.datasetGroup?.status === 'ACTIVE');
  const datasetArns: string[] = [];
  for (const d of datasets) {
    const { schemaArn } = await p.send(new CreateSchemaCommand({ name: d.schemaName, schema: d.schema, ...(domain === undefined ? {} : { domain }) }));
    const { datasetArn = '' } = await p.send(new CreateDatasetCommand({ name: d.name, datasetGroupArn, schemaArn, datasetType: d.type }));
    await waitFor(() => p.send(new DescribeDatasetCommand({ datasetArn })), (r) => r.dataset?.status === 'ACTIVE');
    datasetArns.push(datasetArn);
    if (d.key === undefined) continue;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: d.key, Body: d.csv, ContentType: 'text/csv' }));
    const { datasetImportJobArn } = await p.send(
      new CreateDatasetImportJobCommand({ jobName: `${d.name}-import`, datasetArn, dataSource: { dataLocation: d.dataLocation ?? `s3://${BUCKET}/${d.key}` }, roleArn: ROLE }),
    );
    const job = await waitFor(
      () => p.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED',
    );
    if (job.datasetImportJob?.status !== 'ACTIVE') throw new Error(`import failed: ${job.datasetImportJob?.failureReason ?? ''}`);
  }
  return { groupArn: datasetGroupArn, datasetArns };
}

/** A solution created as the console does (automatic training left to the service's default) and, with `train`, one ACTIVE version. */
export async function consoleSolution(p: PersonalizeClient, input: CreateSolutionCommandInput, train: boolean): Promise<string> {
  const { solutionArn = '' } = await p.send(new CreateSolutionCommand(input));
  await waitFor(() => p.send(new DescribeSolutionCommand({ solutionArn })), (r) => r.solution?.status === 'ACTIVE');
  if (train) {
    const { solutionVersionArn } = await p.send(new CreateSolutionVersionCommand({ solutionArn }));
    const done = await waitFor(
      () => p.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      (r) => r.solutionVersion?.status === 'ACTIVE' || r.solutionVersion?.status === 'CREATE FAILED',
      30_000,
    );
    if (done.solutionVersion?.status !== 'ACTIVE') throw new Error(`training failed: ${done.solutionVersion?.failureReason ?? ''}`);
  }
  return solutionArn;
}

/** A campaign (2 TPS) on the solution's trained version, a filter and an event tracker, as a console user adds them. */
export async function consoleServing(p: PersonalizeClient, groupArn: string, solutionArn: string): Promise<void> {
  const versions = (await p.send(new ListSolutionVersionsCommand({ solutionArn }))).solutionVersions ?? [];
  const version = versions.find((v) => v.status === 'ACTIVE' && v.trainingType !== 'AUTOMATIC');
  const { campaignArn } = await p.send(new CreateCampaignCommand({ name: 'sims-campaign', solutionVersionArn: version?.solutionVersionArn, minProvisionedTPS: 2 }));
  await waitFor(() => p.send(new DescribeCampaignCommand({ campaignArn })), (r) => r.campaign?.status === 'ACTIVE', 10_000);
  await p.send(new CreateFilterCommand({ name: 'no-purchased', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' }));
  await p.send(new CreateEventTrackerCommand({ name: 'console-tracker', datasetGroupArn: groupArn }));
}
