import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * What a command knows about the GitHub Actions job it runs in. Only built when running in
 * Actions (`GITHUB_ACTIONS=true`) or when asked with `--github`; `summaryFile` is absent when the
 * runner gave no job summary file (as on a laptop with `--github`).
 */
export interface GithubJob {
  /** `GITHUB_STEP_SUMMARY`: the markdown file this step's summary is appended to. */
  readonly summaryFile?: string;
  /** `GITHUB_WORKSPACE`: the checkout that annotation paths are relative to. */
  readonly workspace?: string;
  /** `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`, to say who applied a plan. */
  readonly runUrl?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The GitHub job when running in Actions or when `forced`; undefined otherwise. */
export function detectGithub(env: Env, forced: boolean): GithubJob | undefined {
  if (!forced && env['GITHUB_ACTIONS'] !== 'true') return undefined;
  const summaryFile = nonEmpty(env['GITHUB_STEP_SUMMARY']);
  const workspace = nonEmpty(env['GITHUB_WORKSPACE']);
  const server = nonEmpty(env['GITHUB_SERVER_URL']);
  const repo = nonEmpty(env['GITHUB_REPOSITORY']);
  const runId = nonEmpty(env['GITHUB_RUN_ID']);
  const runUrl = server !== undefined && repo !== undefined && runId !== undefined ? `${server}/${repo}/actions/runs/${runId}` : undefined;
  return { ...(summaryFile === undefined ? {} : { summaryFile }), ...(workspace === undefined ? {} : { workspace }), ...(runUrl === undefined ? {} : { runUrl }) };
}

/**
 * Maps a path as a diagnostic shows it (relative to `cwd`) to the repository-relative,
 * slash-separated path GitHub places annotations on; undefined for a file outside the checkout,
 * which GitHub could not place on the diff anyway.
 */
export function annotationPath(job: GithubJob, cwd: string, file: string): string | undefined {
  const absolute = resolve(cwd, file);
  const root = job.workspace ?? cwd;
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
