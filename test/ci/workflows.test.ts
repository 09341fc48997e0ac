import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { DRIFT_MARKER } from '../../src/render/drift-markdown.ts';
import { PLAN_MARKER } from '../../src/render/plan-markdown.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

/** The environments the example poc.yaml declares, which the workflows deploy with --env. */
const EXAMPLE_ENVIRONMENTS = Object.keys((parseDocument(readFileSync(join(ROOT, 'poc.yaml'), 'utf8')).toJS() as { environments?: object }).environments ?? {});

/** The one `run:` command that is not the CLI: installing its dependencies. */
const SETUP_COMMANDS = new Set(['npm ci']);

interface Step { readonly name?: string; readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown>; readonly id?: string }
interface Job { readonly 'runs-on'?: string; readonly needs?: string | string[]; readonly steps?: Step[] }
interface Workflow { readonly name?: string; readonly on?: unknown; readonly jobs?: Record<string, Job> }

function load(file: string): Workflow {
  const doc = parseDocument(readFileSync(join(DIR, file), 'utf8'), { uniqueKeys: true });
  expect(doc.errors.map((e) => e.message), file).toEqual([]);
  return doc.toJS() as Workflow;
}

/** Splits a `run:` script into simple commands: continuations joined, operators and redirections dropped. */
function shellCommands(script: string): string[][] {
  const tokens: string[] = [];
  const text = script.replace(/\\\n/g, ' ');
  const re = /\s*(?:(#[^\n]*)|(\n)|(&&|\|\||[;|])|(\d?>>?(?:&\d)?)|'([^']*)'|"((?:[^"\\]|\\.)*)"|([^\s;|&<>'"]+))/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    if (m[1] !== undefined) continue;
    if (m[2] !== undefined || m[3] !== undefined) tokens.push('\u0000');
    else if (m[4] !== undefined) tokens.push(`\u0001${m[4]}`);
    else tokens.push(m[5] ?? m[6] ?? m[7] ?? '');
  }
  const commands: string[][] = [[]];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i] ?? '';
    if (t === '\u0000') commands.push([]);
    // A redirection takes the next word (its file) unless it duplicates a descriptor (2>&1).
    else if (t.startsWith('\u0001')) i += /&\d$/.test(t) ? 0 : 1;
    else commands[commands.length - 1]?.push(t);
  }
  return commands.filter((c) => c.length > 0);
}

/** The CLI arguments of a command line that invokes the CLI, or undefined when it does not. */
function pocArguments(words: readonly string[]): string[] | undefined {
  const [a, b, c, d, e] = words;
  if (a === 'poc') return words.slice(1);
  if (a === 'npx' && b === 'poc') return words.slice(2);
  if (a === 'npm' && b === 'run' && c === 'poc' && d === '--') return words.slice(4);
  if (a === 'npm' && b === 'run' && (c === '--silent' || c === '-s') && d === 'poc' && e === '--') return words.slice(5);
  return undefined;
}

describe('example GitHub workflows', () => {
  it('exist: plan on pull request, apply on merge to main, drift on a schedule', () => {
    const triggers = FILES.map((f) => Object.keys((load(f).on ?? {}) as object));
    expect(triggers.flat()).toEqual(expect.arrayContaining(['pull_request', 'push', 'schedule']));
  });

  for (const file of FILES) {
    describe(file, () => {
      const wf = load(file);

      it('is a well-formed workflow: named, triggered, jobs with runners and steps, needs that resolve', () => {
        expect(typeof wf.name).toBe('string');
        expect(wf.on).toBeDefined();
        const jobs = Object.entries(wf.jobs ?? {});
        expect(jobs.length).toBeGreaterThan(0);
        for (const [id, job] of jobs) {
          expect(typeof job['runs-on'], `${id} runs-on`).toBe('string');
          expect(Array.isArray(job.steps) && job.steps.length > 0, `${id} steps`).toBe(true);
          for (const need of [job.needs ?? []].flat()) expect(Object.keys(wf.jobs ?? {}), `${id} needs`).toContain(need);
          for (const step of job.steps ?? []) {
            expect((step.uses === undefined) !== (step.run === undefined), `${id}: a step has exactly one of uses and run`).toBe(true);
            if (step.uses !== undefined) expect(step.uses, `${id}: actions are pinned to a version`).toMatch(/^[\w.-]+\/[\w./-]+@[\w.-]+$/);
          }
        }
        const text = readFileSync(join(DIR, file), 'utf8');
        expect((text.match(/\$\{\{/g) ?? []).length, 'balanced ${{ }} expressions').toBe((text.match(/\}\}/g) ?? []).length);
      });

      it('runs only the poc CLI, with commands and options that exist', () => {
        let calls = 0;
        for (const job of Object.values(wf.jobs ?? {})) {
          for (const step of job.steps ?? []) {
            if (step.run === undefined) continue;
            for (const words of shellCommands(step.run)) {
              if (SETUP_COMMANDS.has(words.join(' '))) continue;
              const argv = pocArguments(words);
              expect(argv, `'${words.join(' ')}' is not a poc command`).toBeDefined();
              const [name, ...rest] = argv ?? [];
              const command = COMMANDS.find((c) => c.spec.name === name);
              expect(command, `poc ${name ?? ''} is not a command`).toBeDefined();
              if (command === undefined) continue;
              const parsed = parseCommandArgs(command.spec, rest);
              expect(parsed.diagnostics.map((d) => d.message), `poc ${words.join(' ')}`).toEqual([]);
              const env = parsed.args?.values['env'];
              if (typeof env === 'string') expect(EXAMPLE_ENVIRONMENTS, `--env ${env} is declared in poc.yaml`).toContain(env);
              calls += 1;
            }
          }
        }
        expect(calls).toBeGreaterThan(0);
      });
    });
  }

  it('finds the comment and the issue by the markers the renderers write', () => {
    const scripts = FILES.flatMap((f) => Object.values(load(f).jobs ?? {}).flatMap((j) => (j.steps ?? []).map((s) => String(s.with?.['script'] ?? ''))));
    expect(scripts.some((s) => s.includes(PLAN_MARKER))).toBe(true);
    expect(scripts.some((s) => s.includes(DRIFT_MARKER))).toBe(true);
  });

  it('the checker itself rejects what it must', () => {
    expect(shellCommands('npm run --silent poc -- show p.json --format markdown > plan.md 2>&1 && echo hi')).toEqual([
      ['npm', 'run', '--silent', 'poc', '--', 'show', 'p.json', '--format', 'markdown'],
      ['echo', 'hi'],
    ]);
    expect(pocArguments(['echo', 'hi'])).toBeUndefined();
    const plan = COMMANDS.find((c) => c.spec.name === 'plan');
    if (plan === undefined) throw new Error('no plan command');
    expect(parseCommandArgs(plan.spec, ['--detailed-exit-code']).diagnostics).not.toEqual([]);
    expect(parseCommandArgs(plan.spec, ['--format', 'html']).diagnostics).not.toEqual([]);
  });
});
