import { readFileSync } from 'node:fs';
import {
  CreateDatasetCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  type CreateSolutionCommandInput,
  type PersonalizeClient,
  type SolutionVersion,
} from '@aws-sdk/client-personalize';
import type { S3Client } from '@aws-sdk/client-s3';
import { activeGroup, putObject, waitFor } from './personalize-helpers.ts';
import { INTERACTIONS_SCHEMA } from '../data/helpers.ts';

export const ROLE = 'arn:aws:iam::000000000000:role/poc';
export const recipe = (name: string): string => `arn:aws:personalize:::recipe/${name}`;

const REPO = new URL('../../', import.meta.url);
const repoFile = (path: string): string => readFileSync(new URL(path, REPO), 'utf8');

export type DatasetKind = 'Interactions' | 'Items' | 'Users';

/** What to load into a group: CSV text per dataset type, with the Avro schema for it. */
export type GroupData = Partial<Record<DatasetKind, { readonly schema: string; readonly csv: string }>>;

/** The repository's example data (data/*.csv) with its schemas (schemas/*.avsc). */
export function exampleData(): GroupData {
  return {
    Interactions: { schema: repoFile('schemas/interactions.avsc'), csv: repoFile('data/interactions.csv') },
    Items: { schema: repoFile('schemas/items.avsc'), csv: repoFile('data/items.csv') },
    Users: { schema: repoFile('schemas/users.avsc'), csv: repoFile('data/users.csv') },
  };
}

export const SMALL_INTERACTIONS_SCHEMA = JSON.stringify(INTERACTIONS_SCHEMA);

/** `rows` interactions spread over `users` users and 97 items; every third one is a `buy`, the rest `click`. */
export function syntheticInteractions(rows: number, users: number): GroupData {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let i = 0; i < rows; i += 1) lines.push(`u${i % users},i${(i * 7) % 97},${1_700_000_000 + i},${i % 3 === 0 ? 'buy' : 'click'}`);
  return { Interactions: { schema: SMALL_INTERACTIONS_SCHEMA, csv: `${lines.join('\n')}\n` } };
}

/** An ACTIVE dataset group with the given datasets created and imported; returns its ARN and datasets. */
export async function groupWithData(p: PersonalizeClient, s3: S3Client, name: string, data: GroupData): Promise<{ groupArn: string; datasets: Partial<Record<DatasetKind, string>> }> {
  const datasetGroupArn = await activeGroup(p, name);
  const datasets: Partial<Record<DatasetKind, string>> = {};
  for (const [type, { schema, csv }] of Object.entries(data) as [DatasetKind, { schema: string; csv: string }][]) {
    const { schemaArn } = await p.send(new CreateSchemaCommand({ name: `${name}-${type}`, schema }));
    const { datasetArn = '' } = await p.send(new CreateDatasetCommand({ name: `${name}-${type}`, datasetGroupArn, schemaArn, datasetType: type }));
    await waitFor(() => p.send(new DescribeDatasetCommand({ datasetArn })), (r) => r.dataset?.status === 'ACTIVE');
    await putObject(s3, 'poc-data', `${name}/${type}.csv`, csv);
    const { datasetImportJobArn } = await p.send(
      new CreateDatasetImportJobCommand({ jobName: `${name}-${type}`, datasetArn, dataSource: { dataLocation: `s3://poc-data/${name}/${type}.csv` }, roleArn: ROLE }),
    );
    const job = await waitFor(
      () => p.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED',
    );
    if (job.datasetImportJob?.status !== 'ACTIVE') throw new Error(`import failed: ${job.datasetImportJob?.failureReason ?? ''}`);
    datasets[type] = datasetArn;
  }
  return { groupArn: datasetGroupArn, datasets };
}

/** Creates a solution (automatic training off unless asked) and waits for it to be ACTIVE. */
export async function activeSolution(p: PersonalizeClient, input: Omit<CreateSolutionCommandInput, 'performAutoTraining'> & { performAutoTraining?: boolean }): Promise<string> {
  const { solutionArn = '' } = await p.send(new CreateSolutionCommand({ performAutoTraining: false, ...input }));
  await waitFor(() => p.send(new DescribeSolutionCommand({ solutionArn })), (r) => r.solution?.status === 'ACTIVE');
  return solutionArn;
}

const SETTLED = new Set(['ACTIVE', 'CREATE FAILED', 'CREATE STOPPED']);

export async function settledVersion(p: PersonalizeClient, solutionVersionArn: string, timeoutMs = 20_000): Promise<SolutionVersion> {
  const done = await waitFor(() => p.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (r) => SETTLED.has(r.solutionVersion?.status ?? ''), timeoutMs);
  return done.solutionVersion ?? {};
}

/** Trains a new version of the solution and waits until it settles. */
export async function train(p: PersonalizeClient, solutionArn: string, timeoutMs?: number): Promise<SolutionVersion> {
  const { solutionVersionArn = '' } = await p.send(new CreateSolutionVersionCommand({ solutionArn }));
  return settledVersion(p, solutionVersionArn, timeoutMs);
}
