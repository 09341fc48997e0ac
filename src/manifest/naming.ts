import { basename } from 'node:path';

/** The service's rule for every Personalize name, job names included: 1-63 characters. */
export const MAX_NAME_LENGTH = 63;
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** The first 8 hex digits of a sha256: enough to tell versions apart inside a name. */
export function sha8(sha256: string): string {
  return sha256.slice(0, 8);
}

export function datasetGroupName(pocName: string, groupKey: string): string {
  return `${pocName}-${groupKey}`;
}

/** Schemas are immutable, so the name carries the content hash of the canonical schema. */
export function schemaName(pocName: string, schemaKey: string, schemaSha256: string): string {
  return `${pocName}-${schemaKey}-${sha8(schemaSha256)}`;
}

export function datasetName(pocName: string, groupKey: string, datasetKey: string): string {
  return `${pocName}-${groupKey}-${datasetKey}`;
}

/**
 * An import job is named for the data it imports, so unchanged data never imports twice. Job
 * names are unique forever, so a retry after a failed job takes `retry` (1-99) as a `-NN` suffix.
 */
export function importJobName(pocName: string, groupKey: string, datasetKey: string, dataSha256: string, retry?: number): string {
  const base = `${pocName}-${groupKey}-${datasetKey}-${sha8(dataSha256)}`;
  if (retry === undefined || retry === 0) return base;
  if (!Number.isInteger(retry) || retry < 0 || retry > 99) throw new RangeError(`import job retry must be 0-99, got ${retry}`);
  return `${base}-${String(retry).padStart(2, '0')}`;
}

export function defaultStackName(pocName: string): string {
  return `${pocName}-env`;
}

/** Data is content-addressed in S3: a changed file gets a new key, an unchanged one is never re-uploaded. */
export function dataObjectKey(pocName: string, dataSha256: string, file: string): string {
  return `${pocName}/data/${dataSha256}/${basename(file)}`;
}

/** What is wrong with a generated Personalize name, if anything. */
export type NameProblem = 'too-long' | 'bad-pattern';

export function checkName(name: string): NameProblem | undefined {
  if (name.length > MAX_NAME_LENGTH) return 'too-long';
  if (!NAME_PATTERN.test(name)) return 'bad-pattern';
  return undefined;
}

const PLACEHOLDER_SHA = '0'.repeat(64);

/**
 * The longest Personalize name a dataset group will ever need: its import job names with a
 * `-NN` retry suffix, which are longer than the group and dataset names they extend.
 */
export function longestGroupName(pocName: string, groupKey: string, datasetKeys: readonly string[]): string {
  const candidates = [datasetGroupName(pocName, groupKey)];
  for (const key of datasetKeys) {
    candidates.push(datasetName(pocName, groupKey, key));
    candidates.push(importJobName(pocName, groupKey, key, PLACEHOLDER_SHA, 99));
  }
  return candidates.reduce((a, b) => (b.length > a.length ? b : a));
}

export function longestSchemaName(pocName: string, schemaKey: string): string {
  return schemaName(pocName, schemaKey, PLACEHOLDER_SHA);
}

// --- Solutions (issue 5) ----------------------------------------------------------------------

/** Solutions are named for their group and key; their versions are identified by ARN, not name. */
export function solutionName(pocName: string, groupKey: string, solutionKey: string): string {
  return `${pocName}-${groupKey}-${solutionKey}`;
}

// --- Campaigns, filters and event trackers (issue 6) ---------------------------------------------

export function campaignName(pocName: string, groupKey: string, campaignKey: string): string {
  return `${pocName}-${groupKey}-${campaignKey}`;
}

export function filterName(pocName: string, groupKey: string, filterKey: string): string {
  return `${pocName}-${groupKey}-${filterKey}`;
}

/** One event tracker per group, so the name needs no key. */
export function eventTrackerName(pocName: string, groupKey: string): string {
  return `${pocName}-${groupKey}-tracker`;
}

// --- Name overrides (issue 6: adopting what was built in the console) -------------------------

/**
 * The AWS name of one resource: poc.yaml's `name:` when it has one (an adopted resource keeps
 * the name it was given elsewhere), else the generated `<poc>-...` name. Every section that
 * accepts `name:` resolves it through here, so the plan, the apply and the drift all agree.
 */
export function awsName(override: string | undefined, generated: string): string {
  return override ?? generated;
}

/** A dataset group's AWS name: what its datasets and solutions refer to it by. */
export function groupAwsName(pocName: string, group: { readonly key: string; readonly name?: string }): string {
  return awsName(group.name, datasetGroupName(pocName, group.key));
}

// --- Recommenders (issue 6) -------------------------------------------------------------------

export function recommenderName(pocName: string, groupKey: string, recommenderKey: string): string {
  return `${pocName}-${groupKey}-${recommenderKey}`;
}

// --- Batch jobs and metric attribution (issue 6) ----------------------------------------------

/**
 * A batch job is named for what it computes (`contentHash` covers its input, the data its
 * solution version was trained on and its settings), so an unchanged job never runs twice; a
 * name taken by an earlier job with the same content gets a `-NN` suffix, as imports do.
 */
export function batchJobName(base: string, contentHash: string): string {
  return `${base}-${sha8(contentHash.replace(/^sha256:/, ''))}`;
}

export function batchJobBase(pocName: string, groupKey: string, jobKey: string): string {
  return `${pocName}-${groupKey}-${jobKey}`;
}

/** One per group, so the name needs no key. */
export function metricAttributionName(pocName: string, groupKey: string): string {
  return `${pocName}-${groupKey}-metrics`;
}
