import { error, PocError } from '../../diagnostics/index.ts';
import { nothingToDestroy, planDestroy, runDestroy, succeeded } from '../../destroy/index.ts';
import { renderPlanMarkdown } from '../../render/plan-markdown.ts';
import { FILE_OPTION, flag } from '../args.ts';
import { githubJob, jobSummary } from '../ci-output.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import { environmentNote, renderDestroyOutcome } from '../destroy-output.ts';
import { FORMAT_OPTION, outputFormat } from '../format.ts';
import { createProgress } from '../progress.ts';
import { checkedInputs, failWith, kinds, withTarget } from '../session.ts';
import { recordedTarget, renderPlan } from './plan.ts';
import { LOCK_TIMEOUT_OPTION, lockTimeoutOption } from './unlock.ts';

/** Asks before deleting anything unless --yes; refuses without a terminal to ask on. */
async function consent(ctx: CommandContext, pocName: string, count: number): Promise<boolean> {
  if (flag(ctx.args, 'yes')) return true;
  if (!ctx.io.interactive) {
    throw new PocError(error('needs-consent', 'Refusing to destroy without confirmation: there is no terminal to ask on.', { hint: 'Pass --yes (after reviewing the plan above).' }));
  }
  return ctx.io.confirm(`Destroy ${pocName} (${count} resource(s)) for good?`);
}

export const destroyCommand: Command = {
  spec: {
    name: 'destroy',
    usage: 'poc destroy [-f poc.yaml] [--env NAME] [--yes] [--format text|markdown|json] [--keep-environment]',
    summary: "Delete everything this POC owns (found in the account by its tags and names, and what poc.yaml declares that carries its tags, adopted resources included; poc.yaml also gives the protect flags), in the service's safe order, waiting for each; then its environment stack. Asks first unless --yes.",
    positionals: 0,
    options: {
      ...FILE_OPTION,
      yes: { type: 'boolean', short: 'y', help: 'Destroy without asking (required when there is no terminal, as in CI).' },
      ...FORMAT_OPTION,
      'keep-environment': { type: 'boolean', help: 'Keep the environment stack, its bucket and everything in it (data, journals).' },
      ...LOCK_TIMEOUT_OPTION,
    },
    notes: [
      'Order: campaigns and recommenders, solutions (running trainings stopped first), event trackers, filters,',
      'metric attributions, datasets, schemas (kept, and said so, when another dataset group still uses them),',
      'dataset groups; last the environment stack, after emptying its bucket. With `environment: existing` the',
      "bucket is not ours: only the objects under <poc-name>/ in it are deleted.",
      'Protected resources (`protect: true` in poc.yaml) block the whole destroy, naming their poc.yaml lines; there is',
      'no override flag: remove `protect: true` first. An interrupted destroy resumes when run again; once everything',
      'is gone, destroy says "Nothing to destroy" and exits 0.',
      'Exit codes: 0 destroyed (or nothing to destroy), 1 error, refused, cancelled or incomplete.',
    ].join('\n'),
  },
  async run(ctx) {
    const inputs = await checkedInputs(ctx);
    const format = outputFormat(ctx.args);
    const lockTimeoutMs = lockTimeoutOption(ctx);
    const pocName = inputs.manifest.name;
    return withTarget(ctx, inputs, async (base, target) => {
      const destroy = await planDestroy(inputs.graph, kinds, base, {
        manifestPath: inputs.manifestPath,
        manifestDigest: inputs.digest,
        pocName,
        target: recordedTarget(target),
        now: new Date(),
        keepEnvironment: flag(ctx.args, 'keep-environment'),
      });
      if (destroy.plan.diagnostics.some((d) => d.severity === 'error')) failWith(ctx, destroy.plan.diagnostics);
      if (nothingToDestroy(destroy)) {
        ctx.io.out(`Nothing to destroy: nothing owned by ${pocName} exists in ${target.region}.`);
        const note = environmentNote(destroy);
        if (destroy.environment.mode === 'kept' && note !== undefined) ctx.io.out(note);
        return EXIT.ok;
      }
      ctx.io.out(renderPlan(destroy.plan, format, ctx.io.color));
      // With --format json, stdout holds the plan alone, as with `poc plan --format json`.
      const say = (text: string): void => (format === 'json' ? ctx.io.err(text) : ctx.io.out(text));
      const note = environmentNote(destroy);
      if (note !== undefined) say(note);
      await jobSummary(ctx, (limit) => renderPlanMarkdown(destroy.plan, { limit }));
      if (!(await consent(ctx, pocName, destroy.plan.changes.length))) {
        ctx.io.err('Destroy cancelled; nothing was deleted.');
        return EXIT.error;
      }
      const progress = createProgress({ mode: ctx.io.interactive ? 'live' : 'lines', io: ctx.io });
      const by = githubJob(ctx)?.runUrl;
      try {
        const outcome = await runDestroy(destroy, kinds, base, {
          lockTimeoutMs,
          onEvent: (event) => {
            ctx.log.debug({ event }, 'destroy event');
            progress.onEvent(event);
          },
          onResume: (previous) => ctx.io.err(`Resuming after a run that did not finish (run ${previous.run}): ${previous.succeeded.length} step(s) done, ${previous.failed.length} failed.`),
          poll: { initialMs: target.kind === 'aws' ? 5_000 : 50, maxMs: target.kind === 'aws' ? 60_000 : 1_000 },
          ...(by === undefined ? {} : { by }),
        });
        say(renderDestroyOutcome(outcome));
        return succeeded(outcome.result) ? EXIT.ok : EXIT.error;
      } finally {
        progress.stop();
      }
    });
  },
};
