import { detectGithub, annotationPath, type GithubJob } from '../ci/github.ts';
import { appendJobSummary } from '../ci/job-summary.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { renderAnnotations } from '../render/annotations.ts';
import { flag } from './args.ts';
import type { CommandContext } from './command.ts';

/** The GitHub Actions job this command runs in (or `--github`), else undefined. */
export function githubJob(ctx: CommandContext): GithubJob | undefined {
  return detectGithub(ctx.io.env, flag(ctx.args, 'github'));
}

/**
 * In GitHub Actions, diagnostics that have a file become annotations on that line of the diff.
 * They go to stderr, which the runner scans for workflow commands as it does stdout, so a
 * command's stdout (plan JSON, say) stays clean.
 */
export function annotate(ctx: CommandContext, diagnostics: readonly Diagnostic[]): void {
  const job = githubJob(ctx);
  if (job === undefined || diagnostics.length === 0) return;
  for (const line of renderAnnotations(diagnostics, { fileFor: (file) => annotationPath(job, ctx.io.cwd, file) })) ctx.io.err(line);
}

/** In GitHub Actions, appends a markdown section to the job summary, cut to fit its 1 MiB. */
export async function jobSummary(ctx: CommandContext, render: (limitChars: number) => string): Promise<void> {
  const file = githubJob(ctx)?.summaryFile;
  if (file === undefined) return;
  const outcome = await appendJobSummary(file, render);
  if (outcome === 'no-room') ctx.io.err('The job summary is full (1 MiB); this section was left out. The job log has all of it.');
  ctx.log.debug({ file, outcome }, 'job summary');
}
