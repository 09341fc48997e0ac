import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorName, isNotFound } from '../resources/errors.ts';
import { serializePlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';

/** How far an apply of a saved plan got. A plan is spent once `started`, whatever followed. */
export type AppliedOutcome = 'started' | 'succeeded' | 'incomplete';

/**
 * The record that a saved plan was applied. It lives beside the plan file (`<plan>.applied`) and,
 * once the environment's bucket exists, at `<poc>/plans/applied/<digest>.json` in that bucket,
 * where every CI runner sees it. Invariant: the bucket object is created with `If-None-Match: *`,
 * so of two runs applying the same plan exactly one gets past the claim.
 */
export interface AppliedRecord {
  /** sha256 of the plan's canonical bytes: the same plan however the file was copied or named. */
  readonly planDigest: string;
  readonly planFile: string;
  readonly pocName: string;
  readonly appliedAt: string;
  readonly outcome: AppliedOutcome;
  /** A CI run's URL, when applied from one. */
  readonly by?: string;
}

export function planDigest(plan: Plan): string {
  return createHash('sha256').update(serializePlan(plan)).digest('hex');
}

export function ledgerKey(pocName: string, digest: string): string {
  return `${pocName}/plans/applied/${digest}.json`;
}

export function localMarkFile(planFile: string): string {
  return `${planFile}.applied`;
}

export async function readLocalMark(planPath: string): Promise<AppliedRecord | undefined> {
  try {
    return JSON.parse(await readFile(localMarkFile(planPath), 'utf8')) as AppliedRecord;
  } catch {
    return undefined;
  }
}

export async function writeLocalMark(planPath: string, record: AppliedRecord): Promise<void> {
  await writeFile(localMarkFile(planPath), `${JSON.stringify(record, null, 2)}\n`);
}

/** What claiming a plan in the bucket found: ours now, or someone's record from before. */
export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly previous: AppliedRecord | undefined };

/** Creates the bucket record only if none exists; otherwise reads the one that does. */
export async function claimInBucket(s3: S3Client, bucket: string, record: AppliedRecord): Promise<ClaimResult> {
  const key = ledgerKey(record.pocName, record.planDigest);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json', IfNoneMatch: '*' }));
    return { claimed: true };
  } catch (err) {
    // 409 ConditionalRequestConflict: a concurrent writer of the same key; it won the race.
    if (errorName(err) !== 'PreconditionFailed' && errorName(err) !== 'ConditionalRequestConflict') throw err;
  }
  return { claimed: false, previous: await readInBucket(s3, bucket, key) };
}

/** Replaces the record this run claimed with how the apply ended. */
export async function recordInBucket(s3: S3Client, bucket: string, record: AppliedRecord): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: ledgerKey(record.pocName, record.planDigest), Body: JSON.stringify(record), ContentType: 'application/json' }));
}

/** The bucket's record of a plan, if it was applied. */
export async function findInBucket(s3: S3Client, bucket: string, pocName: string, digest: string): Promise<AppliedRecord | undefined> {
  return readInBucket(s3, bucket, ledgerKey(pocName, digest));
}

async function readInBucket(s3: S3Client, bucket: string, key: string): Promise<AppliedRecord | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString('utf8')) ?? '') as AppliedRecord;
  } catch (err) {
    if (isNotFound(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** `at 2025-01-02T03:04:05.000Z by <run url> (succeeded)`, for refusals. */
export function describeRecord(record: AppliedRecord | undefined): string {
  if (record === undefined) return '';
  return ` at ${record.appliedAt}${record.by === undefined ? '' : ` by ${record.by}`} (${record.outcome})`;
}
