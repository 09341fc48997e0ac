import { resolve } from 'node:path';
import { renderPlanMarkdown } from '../../render/plan-markdown.ts';
import { EXIT, type Command } from '../command.ts';
import { jobSummary } from '../ci-output.ts';
import { FORMAT_OPTION, outputFormat } from '../format.ts';
import { describeRecord, readLocalMark } from '../plan-ledger.ts';
import { readSavedPlan } from '../saved-plan.ts';
import { renderPlan } from './plan.ts';

export const showCommand: Command = {
  spec: {
    name: 'show',
    usage: 'poc show plans/NAME.json [--format text|markdown|json]',
    summary: 'Render a saved plan (for a PR comment, a job summary or a review) without reading poc.yaml or calling AWS.',
    positionals: 1,
    options: { ...FORMAT_OPTION },
  },
  async run(ctx) {
    const file = ctx.args.positionals[0];
    if (file === undefined) {
      ctx.io.err('error [missing-argument] poc show needs the plan file to render. Usage: poc show plans/NAME.json');
      return EXIT.error;
    }
    const plan = await readSavedPlan(ctx, file);
    ctx.io.out(renderPlan(plan, outputFormat(ctx.args), ctx.io.color));
    await jobSummary(ctx, (limit) => renderPlanMarkdown(plan, { limit }));
    const mark = await readLocalMark(resolve(ctx.io.cwd, file));
    if (mark !== undefined) ctx.io.err(`This plan was applied${describeRecord(mark)}; it cannot be applied again.`);
    return EXIT.ok;
  },
};
