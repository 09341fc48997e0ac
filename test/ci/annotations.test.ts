import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationPath, detectGithub } from '../../src/ci/github.ts';
import { appendJobSummary } from '../../src/ci/job-summary.ts';
import { error, warning, type Diagnostic } from '../../src/diagnostics/index.ts';
import { escapeData, escapeProperty, renderAnnotations } from '../../src/render/annotations.ts';

/** Decodes a workflow command the way the runner does, to check escaping round-trips. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (m === null) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string): string => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
  const props = Object.fromEntries((m[2] ?? '').split(',').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    return [p.slice(0, eq), unescape(p.slice(eq + 1))];
  }));
  return { command: m[1] ?? '', props, message: unescape(m[3] ?? '') };
}

describe('GitHub annotations', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir,name:1%')).toBe('dir%2Cname%3A1%25');
    const tricky: Diagnostic = error('bad-value', 'value "50%" in a,b:c\nsecond line', { file: 'data/odd,name:v1.csv', line: 7, column: 3, path: 'x.y', hint: 'fix it' });
    const [line] = renderAnnotations([tricky]);
    expect(line).toBeDefined();
    expect(line?.split('\n')).toHaveLength(1);
    const parsed = parseCommand(line ?? '');
    expect(parsed).toEqual({
      command: 'error',
      props: { file: 'data/odd,name:v1.csv', line: '7', col: '3', title: 'poc [bad-value]' },
      message: 'value "50%" in a,b:c\nsecond line (at x.y)\nHint: fix it',
    });
  });

  it('map severities to error, warning and notice, errors first', () => {
    const lines = renderAnnotations([warning('w', 'careful', { file: 'a.csv', line: 1 }), { code: 'i', severity: 'info', message: 'fyi' }, error('e', 'broken', { file: 'poc.yaml', line: 2, column: 5 })]);
    expect(lines.map((l) => parseCommand(l).command)).toEqual(['error', 'warning', 'notice']);
    expect(parseCommand(lines[2] ?? '').props).toEqual({ title: 'poc [i]' });
  });

  it('show at most ten of a level, rolling the rest into the tenth', () => {
    const many = Array.from({ length: 25 }, (_, i) => error('bad-value', `row ${i + 2} is bad`, { file: 'data/interactions.csv', line: i + 2, column: 1 }));
    const lines = renderAnnotations([...many, warning('w', 'one warning')]);
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).map((l) => parseCommand(l).props['line'])).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const rollup = parseCommand(errors[9] ?? '');
    expect(rollup.props).toEqual({ title: 'poc: 16 more errors' });
    expect(rollup.message.split('\n')[0]).toBe('16 more errors (see the job log):');
    expect(rollup.message).toContain('data/interactions.csv:11: [bad-value] row 11 is bad');
    expect(rollup.message).toContain('data/interactions.csv:26: [bad-value] row 26 is bad');
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(1);
    expect(renderAnnotations(many.slice(0, 10))).toHaveLength(10);
    expect(renderAnnotations(many.slice(0, 10)).some((l) => l.includes('more errors'))).toBe(false);
  });

  it('place files relative to the checkout, and drop the file of one outside it', () => {
    const job = { workspace: '/repo' };
    expect(annotationPath(job, '/repo/pocs/retail', 'data/x.csv')).toBe('pocs/retail/data/x.csv');
    expect(annotationPath(job, '/repo', '../elsewhere/x.csv')).toBeUndefined();
    const [line] = renderAnnotations([error('e', 'm', { file: '../elsewhere/x.csv', line: 3 })], { fileFor: (f) => annotationPath(job, '/repo', f) });
    expect(parseCommand(line ?? '').props).toEqual({ title: 'poc [e]' });
  });

  it('are on in GitHub Actions or with --github only', () => {
    expect(detectGithub({}, false)).toBeUndefined();
    expect(detectGithub({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/tmp/s', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' }, false)).toEqual({ summaryFile: '/tmp/s', runUrl: 'https://github.com/o/r/actions/runs/42' });
    expect(detectGithub({}, true)).toEqual({});
  });
});

describe('job summary', () => {
  it('appends within the 1 MiB a step may write, cutting by characters until the bytes fit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'poc-summary-')), 'summary.md');
    writeFileSync(file, 'x'.repeat(600));
    // Four-byte characters: a character budget alone would overflow the byte budget fourfold.
    const render = (limit: number): string => `${'🙂'.repeat(Math.max(0, Math.min(2_000, limit - 10)))}\n`;
    const outcome = await appendJobSummary(file, render, 2_000);
    expect(outcome).toBe('cut');
    const written = readFileSync(file);
    expect(written.length).toBeLessThanOrEqual(2_000);
    expect(written.toString('utf8').startsWith('x'.repeat(600))).toBe(true);
    expect(await appendJobSummary(file, render, 2_000)).toBe('no-room');
  });
});
