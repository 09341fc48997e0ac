import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyPlan } from '../../apply/executor.ts';
import type { ApplyEvent } from '../../apply/events.ts';
import { observeLive } from '../../apply/observe.ts';
import { revalidatePlan } from '../../apply/revalidate.ts';
import { error, PocError } from '../../diagnostics/index.ts';
import { hasChanges } from '../../plan/plan.ts';
import { readPlan } from '../../plan/read-plan.ts';
import type { Plan } from '../../plan/types.ts';
import type { LiveState } from '../../plan/live.ts';
import { formatApplyEvent, renderApplyResult } from '../../render/apply-text.ts';
import { renderInventoryText } from '../../render/inventory-text.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { FILE_OPTION, flag, stringOption } from '../args.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { checkedInputs, failWith, kinds, manifestFile, withTarget } from '../session.ts';
import { planAgainst, PRUNE_OPTION } from './plan.ts';

async function readSavedPlan(ctx: CommandContext, file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.io.cwd, file), 'utf8');
  } catch {
    throw new PocError(error('plan-unreadable', `Cannot read the plan file ${file}.`, { file, hint: 'Save one with: poc plan --out plans/NAME.json' }));
  }
  const read = readPlan(text, file);
  if ('diagnostics' in read) failWith(ctx, read.diagnostics);
  return read.plan;
}

/** Asks before changing anything unless --yes; refuses without a terminal to ask on. */
async function consent(ctx: CommandContext): Promise<boolean> {
  if (flag(ctx.args, 'yes')) return true;
  if (!ctx.io.interactive) {
    throw new PocError(error('needs-consent', 'Refusing to apply without confirmation: there is no terminal to ask on.', { hint: 'Pass --yes (in CI, after reviewing the plan).' }));
  }
  return ctx.io.confirm('Apply these changes?');
}

/** Progress on stderr: one line per step event, status lines only when the status changes. */
function progressPrinter(ctx: CommandContext): (event: ApplyEvent) => void {
  const lastStatus = new Map<string, string>();
  return (event) => {
    if (event.type === 'status') {
      if (lastStatus.get(event.id) === event.status) return;
      lastStatus.set(event.id, event.status);
    }
    ctx.io.err(formatApplyEvent(event));
  };
}

export const applyCommand: Command = {
  spec: {
    name: 'apply',
    usage: 'poc apply [-f poc.yaml | plans/NAME.json] [--yes] [--prune]',
    summary: 'Make the account match poc.yaml (asks first unless --yes), or apply exactly a saved plan (refused if stale).',
    positionals: 1,
    options: {
      ...FILE_OPTION,
      yes: { type: 'boolean', short: 'y', help: 'Apply without asking (required when there is no terminal, as in CI).' },
      ...PRUNE_OPTION,
      concurrency: { type: 'string', value: 'N', help: 'Resources changed at once (default 4).' },
      'max-errors': { type: 'string', value: 'N', help: 'Detail at most N data findings per file.' },
    },
  },
  async run(ctx) {
    const planFile = ctx.args.positionals[0];
    const saved = planFile === undefined ? undefined : await readSavedPlan(ctx, planFile);
    const inputs = await checkedInputs(ctx, saved?.manifest.path ?? manifestFile(ctx.args));
    const concurrency = concurrencyOption(ctx);
    return withTarget(ctx, inputs, async (base, target) => {
      let plan: Plan;
      let live: LiveState;
      if (saved !== undefined) {
        const fresh = await revalidatePlan(saved, inputs.graph, kinds, base, inputs.digest);
        if (fresh.stale.length > 0) {
          failWith(ctx, [
            error('stale-plan', `The saved plan ${planFile ?? ''} is stale; nothing was applied.`, { hint: 'Run poc plan again and review the new plan.' }),
            ...fresh.stale.map((s) => error(`stale-${s.code}`, s.message, s.address === undefined ? {} : { path: s.address })),
          ]);
        }
        plan = saved;
        live = fresh.live;
      } else {
        ({ plan, live } = await planAgainst(ctx, inputs, base, target));
      }
      ctx.io.out(renderPlanText(plan, { color: ctx.io.color }));
      if (!hasChanges(plan)) return EXIT.ok;
      // A saved plan was the thing reviewed (as with `terraform apply plan.tfplan`): no second question.
      if (saved === undefined && !(await consent(ctx))) {
        ctx.io.out('Apply cancelled; nothing was changed.');
        return EXIT.error;
      }
      const result = await applyPlan(plan, inputs.graph, kinds, base, { live, onEvent: progressPrinter(ctx), ...(concurrency === undefined ? {} : { concurrency }), poll: { initialMs: target.kind === 'aws' ? 5_000 : 50, maxMs: target.kind === 'aws' ? 60_000 : 1_000 } });
      ctx.io.out(renderApplyResult(result));
      const after = await observeLive(inputs.graph, kinds, { ...base, cache: new Map() });
      ctx.io.out(renderInventoryText(inputs.graph, after));
      return result.failed.length === 0 && result.skipped.length === 0 && result.errors.length === 0 ? EXIT.ok : EXIT.error;
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
