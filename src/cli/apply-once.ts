import { ENVIRONMENT_ADDRESS } from '../resources/addresses.ts';
import { error } from '../diagnostics/index.ts';
import type { LiveState } from '../plan/live.ts';
import type { Plan } from '../plan/types.ts';
import type { BaseContext } from '../apply/observe.ts';
import { githubJob } from './ci-output.ts';
import type { CommandContext } from './command.ts';
import { claimInBucket, describeRecord, findInBucket, planDigest, readLocalMark, recordInBucket, writeLocalMark, type AppliedOutcome, type AppliedRecord } from './plan-ledger.ts';
import { failWith } from './session.ts';

/** The environment's bucket as observed, if it exists yet. */
export function bucketOf(live: LiveState): string | undefined {
  const bucket = live.byAddress.get(ENVIRONMENT_ADDRESS)?.properties['bucket'];
  return typeof bucket === 'string' && bucket !== '' ? bucket : undefined;
}

/** Refuses a plan file already marked as applied on this machine, before anything is read from AWS. */
export async function refuseIfMarkedLocally(ctx: CommandContext, planFile: string, planPath: string): Promise<void> {
  const mark = await readLocalMark(planPath);
  if (mark !== undefined) refuse(ctx, planFile, mark, `marked in ${planFile}.applied`);
}

function refuse(ctx: CommandContext, planFile: string, record: AppliedRecord | undefined, where: string): never {
  failWith(ctx, [
    error('plan-already-applied', `The saved plan ${planFile} was already applied${describeRecord(record)}; a plan is applied once. Nothing was changed.`, {
      file: planFile,
      hint: `Recorded ${where}. Run poc plan again for a fresh plan.`,
    }),
  ]);
}

/** A saved plan this run has claimed; `finish` records how the apply ended. */
export interface PlanClaim {
  finish(outcome: Exclude<AppliedOutcome, 'started'>, after: LiveState | undefined): Promise<void>;
}

/**
 * Marks a saved plan as spent before it is applied: beside the plan file, and in the
 * environment's bucket with a create-only write, so a second runner with a copy of the same plan
 * file is refused too. When the bucket does not exist yet (this plan creates it) the bucket record
 * is written once the apply has made it. Refuses, naming when, a plan the bucket says was applied.
 */
export async function claimSavedPlan(ctx: CommandContext, plan: Plan, planFile: string, planPath: string, base: BaseContext, live: LiveState): Promise<PlanClaim> {
  const digest = planDigest(plan);
  const by = githubJob(ctx)?.runUrl;
  const started: AppliedRecord = { planDigest: digest, planFile, pocName: plan.pocName, appliedAt: new Date().toISOString(), outcome: 'started', ...(by === undefined ? {} : { by }) };
  const bucket = bucketOf(live);
  let claimed = false;
  if (bucket !== undefined) {
    const claim = await claimInBucket(base.clients.s3, bucket, started);
    if (!claim.claimed) refuse(ctx, planFile, claim.previous, `in s3://${bucket}`);
    claimed = true;
  }
  await writeLocalMark(planPath, started);
  return {
    async finish(outcome, after) {
      const record: AppliedRecord = { ...started, outcome };
      await writeLocalMark(planPath, record);
      const now = bucket ?? (after === undefined ? undefined : bucketOf(after));
      if (now === undefined) return;
      if (claimed) await recordInBucket(base.clients.s3, now, record);
      else await claimInBucket(base.clients.s3, now, record);
    },
  };
}

/** Before the staleness check: a plan the bucket already records is refused as applied, not as stale. */
export async function refuseIfRecorded(ctx: CommandContext, plan: Plan, planFile: string, base: BaseContext, live: LiveState): Promise<void> {
  const bucket = bucketOf(live);
  if (bucket === undefined) return;
  const record = await findInBucket(base.clients.s3, bucket, plan.pocName, planDigest(plan));
  if (record !== undefined) refuse(ctx, planFile, record, `in s3://${bucket}`);
}
