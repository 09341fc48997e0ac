import { resolve } from 'node:path';
import { applyPlan } from '../../apply/executor.ts';
import { guardApply } from '../../apply/guard.ts';
import type { ApplyResult } from '../../apply/events.ts';
import { observeLive } from '../../apply/observe.ts';
import { revalidatePlan } from '../../apply/revalidate.ts';
import { error, PocError } from '../../diagnostics/index.ts';
import { hasChanges } from '../../plan/plan.ts';
import type { Plan } from '../../plan/types.ts';
import type { LiveState } from '../../plan/live.ts';
import { renderApplyResult } from '../../render/apply-text.ts';
import { renderInventoryText } from '../../render/inventory-text.ts';
import { renderPlanMarkdown } from '../../render/plan-markdown.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { FILE_OPTION, flag, stringOption } from '../args.ts';
import { claimSavedPlan, refuseIfMarkedLocally, refuseIfRecorded, type PlanClaim } from '../apply-once.ts';
import { jobSummary } from '../ci-output.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { planDigest } from '../plan-ledger.ts';
import { createProgress, type ProgressMode } from '../progress.ts';
import { readSavedPlan } from '../saved-plan.ts';
import { checkedInputs, envOption, failWith, kinds, manifestFile, withTarget } from '../session.ts';
import { planAgainst, PRUNE_OPTION } from './plan.ts';
import { applyGuardOptions, LOCK_TIMEOUT_OPTION, lockTimeoutOption } from './unlock.ts';

/** Asks before changing anything unless --yes; refuses without a terminal to ask on. */
async function consent(ctx: CommandContext): Promise<boolean> {
  if (flag(ctx.args, 'yes')) return true;
  if (!ctx.io.interactive) {
    throw new PocError(error('needs-consent', 'Refusing to apply without confirmation: there is no terminal to ask on.', { hint: 'Pass --yes (in CI, after reviewing the plan).' }));
  }
  return ctx.io.confirm('Apply these changes?');
}

/** `--env` wins; else a saved plan loads the environment it was made for. They must agree. */
function environmentFor(ctx: CommandContext, saved: Plan | undefined, planFile: string | undefined): string | undefined {
  const flagged = envOption(ctx.args);
  const recorded = saved?.target.environment === 'local' ? undefined : saved?.target.environment;
  if (flagged !== undefined && saved !== undefined && flagged !== recorded) {
    failWith(ctx, [error('plan-environment-mismatch', `The saved plan ${planFile ?? ''} was made for ${recorded === undefined ? 'the top level of poc.yaml' : `environment "${recorded}"`}, not --env ${flagged}; nothing was applied.`, { hint: 'Apply it without --env, or plan again with --env.' })]);
  }
  return flagged ?? recorded;
}

function progressMode(ctx: CommandContext): ProgressMode {
  if (flag(ctx.args, 'json')) return 'json';
  return ctx.io.interactive ? 'live' : 'lines';
}

export const applyCommand: Command = {
  spec: {
    name: 'apply',
    usage: 'poc apply [-f poc.yaml | plans/NAME.json] [--yes] [--prune] [--json]',
    summary: 'Make the account match poc.yaml (asks first unless --yes), or apply exactly a saved plan, once (refused if stale or already applied).',
    positionals: 1,
    options: {
      ...FILE_OPTION,
      yes: { type: 'boolean', short: 'y', help: 'Apply without asking (required when there is no terminal, as in CI).' },
      ...PRUNE_OPTION,
      ...LOCK_TIMEOUT_OPTION,
      concurrency: { type: 'string', value: 'N', help: 'Resources changed at once (default 4).' },
      'max-errors': { type: 'string', value: 'N', help: 'Detail at most N data findings per file.' },
      json: { type: 'boolean', help: 'Stream machine-readable events on stdout, one JSON object per line (plan, each step, result).' },
    },
    notes: 'Exit codes: 0 applied (or nothing to do), 1 error, refused or incomplete.',
  },
  async run(ctx) {
    const planFile = ctx.args.positionals[0];
    const planPath = planFile === undefined ? undefined : resolve(ctx.io.cwd, planFile);
    const saved = planFile === undefined ? undefined : await readSavedPlan(ctx, planFile);
    if (planFile !== undefined && planPath !== undefined) await refuseIfMarkedLocally(ctx, planFile, planPath);
    const env = environmentFor(ctx, saved, planFile);
    const inputs = await checkedInputs(ctx, saved?.manifest.path ?? manifestFile(ctx.args), env);
    const concurrency = concurrencyOption(ctx);
    const lockTimeoutMs = lockTimeoutOption(ctx);
    const mode = progressMode(ctx);
    return withTarget(ctx, inputs, async (base, target) => {
      let plan: Plan;
      let live: LiveState;
      if (saved !== undefined && planFile !== undefined) {
        const fresh = await revalidatePlan(saved, inputs.graph, kinds, base, inputs.digest);
        await refuseIfRecorded(ctx, saved, planFile, base, fresh.live);
        if (fresh.stale.length > 0) {
          failWith(ctx, [
            error('stale-plan', `The saved plan ${planFile} is stale; nothing was applied.`, { hint: 'Run poc plan again and review the new plan.' }),
            ...fresh.stale.map((s) => error(`stale-${s.code}`, s.message, s.address === undefined ? {} : { path: s.address })),
          ]);
        }
        plan = saved;
        live = fresh.live;
      } else {
        ({ plan, live } = await planAgainst(ctx, inputs, base, target));
      }
      if (mode === 'json') ctx.io.out(JSON.stringify({ event: 'plan', planDigest: planDigest(plan), pocName: plan.pocName, summary: plan.summary, changes: plan.changes.filter((c) => c.actions[0] !== 'no-op').map((c) => ({ address: c.address, actions: c.actions })) }));
      else ctx.io.out(renderPlanText(plan, { color: ctx.io.color }));
      await jobSummary(ctx, (limit) => renderPlanMarkdown(plan, { limit }));
      if (!hasChanges(plan)) {
        if (mode === 'json') ctx.io.out(JSON.stringify({ event: 'result', ok: true, succeeded: [], failed: [], skipped: [], errors: [] }));
        return EXIT.ok;
      }
      // A saved plan was the thing reviewed (as with `terraform apply plan.tfplan`): no second question.
      if (saved === undefined && !(await consent(ctx))) {
        ctx.io.out('Apply cancelled; nothing was changed.');
        return EXIT.error;
      }
      let claim: PlanClaim | undefined;
      const progress = createProgress({ mode, io: ctx.io });
      let result: ApplyResult;
      try {
        // Reliability (issue 8): the POC's lock and journal around the run; SIGINT/SIGTERM abort it and release the lock.
        result = await guardApply(applyGuardOptions(ctx, inputs, base, live, planDigest(plan), lockTimeoutMs), async ({ hooks, signal }) => {
          // Spent only once the lock is ours: a plan refused by a held lock can still be applied later.
          if (saved !== undefined && planFile !== undefined && planPath !== undefined) claim = await claimSavedPlan(ctx, saved, planFile, planPath, base, live);
          return applyPlan(plan, inputs.graph, kinds, { ...base, signal }, { live, hooks, onEvent: (event) => {
            ctx.log.debug({ event }, 'apply event');
            progress.onEvent(event);
          }, ...(concurrency === undefined ? {} : { concurrency }), poll: { initialMs: target.kind === 'aws' ? 5_000 : 50, maxMs: target.kind === 'aws' ? 60_000 : 1_000 } });
        });
      } finally {
        progress.stop();
      }
      const ok = result.failed.length === 0 && result.skipped.length === 0 && result.errors.length === 0;
      const after = await observeLive(inputs.graph, kinds, { ...base, cache: new Map() });
      await claim?.finish(ok ? 'succeeded' : 'incomplete', after);
      if (mode === 'json') ctx.io.out(JSON.stringify({ event: 'result', ok, ...result }));
      else {
        ctx.io.out(renderApplyResult(result));
        ctx.io.out(renderInventoryText(inputs.graph, after));
      }
      return ok ? EXIT.ok : EXIT.error;
    });
  },
};

function concurrencyOption(ctx: CommandContext): number | undefined {
  const raw = stringOption(ctx.args, 'concurrency');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new PocError(error('invalid-option-value', `--concurrency must be an integer from 1 to 32; got '${raw}'.`));
  return n;
}
