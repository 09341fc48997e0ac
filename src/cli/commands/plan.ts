import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { makePlan } from '../../apply/make-plan.ts';
import { hasChanges, serializePlan } from '../../plan/plan.ts';
import type { Plan } from '../../plan/types.ts';
import { renderPlanJson } from '../../render/plan-json.ts';
import { renderPlanMarkdown } from '../../render/plan-markdown.ts';
import { jobSummary } from '../ci-output.ts';
import { localMarkFile } from '../plan-ledger.ts';
import { renderPlanText } from '../../render/plan-text.ts';
import { FILE_OPTION, flag, stringOption } from '../args.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { FORMAT_OPTION, outputFormat, type OutputFormat } from '../format.ts';
import type { PocInputs } from '../inputs.ts';
import { checkedInputs, failWith, kinds, withTarget } from '../session.ts';
import type { BaseContext } from '../../apply/observe.ts';
import type { ConnectedTarget } from '../target.ts';
import type { LiveState } from '../../plan/live.ts';

export const PRUNE_OPTION = {
  prune: { type: 'boolean', help: 'Also delete resources tagged with this POC that poc.yaml no longer declares.' },
  'allow-delete-all': { type: 'boolean', help: 'Allow a prune that deletes every resource of this POC (refused otherwise; `poc destroy` removes the whole POC).' },
} as const;

/** Observes the target and computes the plan; plan diagnostics (a protected resource) are errors. */
export async function planAgainst(ctx: CommandContext, inputs: PocInputs, base: BaseContext, target: ConnectedTarget): Promise<{ plan: Plan; live: LiveState }> {
  const result = await makePlan(inputs.graph, kinds, base, {
    manifestPath: inputs.manifestPath,
    manifestDigest: inputs.digest,
    pocName: inputs.manifest.name,
    target: { ...recordedTarget(target), ...environmentOf(inputs, target) },
    prune: inputs.manifest.prune || flag(ctx.args, 'prune'),
    allowDeleteAll: flag(ctx.args, 'allow-delete-all'),
    now: new Date(),
  });
  if (result.plan.diagnostics.some((d) => d.severity === 'error')) failWith(ctx, result.plan.diagnostics);
  return result;
}

/** The target as a plan records it: the region, and the endpoint when it was given with `--endpoint`. */
export function recordedTarget(target: ConnectedTarget): { region: string; endpoint?: string } {
  return { region: target.region, ...(target.kind === 'endpoint' && target.endpoint !== undefined ? { endpoint: target.endpoint } : {}) };
}

/** The plan records its `--env` environment, so `apply` of the saved plan loads the same one. */
function environmentOf(inputs: PocInputs, target: ConnectedTarget): { environment?: string } {
  const env = inputs.manifest.selectedEnvironment ?? (target.kind === 'local' ? 'local' : undefined);
  return env === undefined ? {} : { environment: env };
}

export function renderPlan(plan: Plan, format: OutputFormat, color: boolean): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color });
}

export const planCommand: Command = {
  spec: {
    name: 'plan',
    usage: 'poc plan [-f poc.yaml] [--out plans/NAME.json] [--format text|markdown|json] [--detailed-exitcode] [--prune]',
    summary: 'Show what apply would create, update, replace or delete. Checks the manifest and data first; changes nothing.',
    positionals: 0,
    options: {
      ...FILE_OPTION,
      out: { type: 'string', value: 'FILE', help: 'Also save the plan as JSON (apply it later with `poc apply FILE`).' },
      ...FORMAT_OPTION,
      'detailed-exitcode': { type: 'boolean', help: 'Exit 2 when there are changes, 0 when there are none, 1 on error.' },
      ...PRUNE_OPTION,
      'max-errors': { type: 'string', value: 'N', help: 'Detail at most N data findings per file.' },
    },
  },
  async run(ctx) {
    const inputs = await checkedInputs(ctx);
    const { plan } = await withTarget(ctx, inputs, (base, target) => planAgainst(ctx, inputs, base, target));
    ctx.io.out(renderPlan(plan, outputFormat(ctx.args), ctx.io.color));
    await jobSummary(ctx, (limit) => renderPlanMarkdown(plan, { limit }));
    const out = stringOption(ctx.args, 'out');
    if (out !== undefined) {
      const path = resolve(ctx.io.cwd, out);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, serializePlan(plan));
      // A mark left by an earlier plan of the same name would refuse this new one.
      await rm(localMarkFile(path), { force: true });
      ctx.io.err(`Saved the plan to ${out}. Apply exactly this plan with: poc apply ${out}`);
    }
    return flag(ctx.args, 'detailed-exitcode') && hasChanges(plan) ? EXIT.changes : EXIT.ok;
  },
};
