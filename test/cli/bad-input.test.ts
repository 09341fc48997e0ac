import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, runCli } from './harness.ts';

interface Case {
  readonly name: string;
  /** Breaks the copied example in one way. */
  readonly breakIt: (dir: string) => void;
  /** What the first error line must say: `file:line:col: error [code]`. */
  readonly expected: RegExp;
}

const edit = (dir: string, file: string, from: string | RegExp, to: string): void => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${file}`);
  writeFileSync(path, next);
};

const CASES: readonly Case[] = [
  { name: 'malformed YAML', breakIt: (d) => edit(d, 'poc.yaml', 'region: us-east-1', 'region: [us-east-1'), expected: /^poc\.yaml:\d+:\d+: error \[yaml-/m },
  { name: 'a wrong type', breakIt: (d) => edit(d, 'poc.yaml', 'version: 1', 'version: "one"'), expected: /^poc\.yaml:\d+:\d+: error \[[a-z-]+\].*version/m },
  { name: 'an unknown key', breakIt: (d) => edit(d, 'poc.yaml', 'region: us-east-1', 'regoin: us-east-1'), expected: /^poc\.yaml:\d+:\d+: error \[[a-z-]+\].*regoin.*[Dd]id you mean .?region/m },
  { name: 'a missing data file', breakIt: (d) => rmSync(join(d, 'data', 'users.csv')), expected: /^poc\.yaml:\d+:\d+: error \[[a-z-]+\].*data\/users\.csv/m },
  { name: 'a name too long for the generated names', breakIt: (d) => edit(d, 'poc.yaml', 'name: retail-poc', `name: ${'r'.repeat(50)}`), expected: /^poc\.yaml:\d+:\d+: error \[[a-z-]+\].*63/m },
  { name: 'a schema that does not parse', breakIt: (d) => writeFileSync(join(d, 'schemas', 'items.avsc'), '{ "type": "record", '), expected: /^schemas\/items\.avsc:\d+:\d+: error \[[a-z-]+\]/m },
  { name: 'a bad value in a data file', breakIt: (d) => edit(d, 'data/interactions.csv', /\n(U\d+,P\d+),\d+,/, '\n$1,yesterday,'), expected: /^\s*data\/interactions\.csv:2:\d+: error \[[a-z-]+\]/m },
];

describe('bad input', () => {
  for (const c of CASES) {
    it(`${c.name}: one line per problem with its location, exit 1, no stack trace, nothing created`, async () => {
      const dir = copyExample();
      c.breakIt(dir);
      for (const command of ['validate', 'plan', 'apply']) {
        const run = await runCli([command, '--local', '--yes'].filter((a) => command === 'apply' || a !== '--yes'), { cwd: dir });
        expect(run.code, `${command}: ${run.stderr}${run.stdout}`).toBe(1);
        const output = run.stderr + run.stdout;
        expect(output).toMatch(c.expected);
        expect(output).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
        expect(existsSync(join(dir, '.poc', 'local')), `${command} must not start the emulator`).toBe(false);
      }
    });
  }

  it('an unknown option names the closest one', async () => {
    const run = await runCli(['plan', '--detailed-exit-code'], { cwd: copyExample() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Unknown option '--detailed-exit-code' for 'poc plan'. Did you mean '--detailed-exitcode'?");
  });

  it('apply without --yes and without a terminal refuses and changes nothing', async () => {
    const dir = copyExample();
    const run = await runCli(['apply', '--local'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error \[needs-consent\].*Pass --yes/);
    const plan = await runCli(['plan', '--local', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code).toBe(2);
  });

  it('every command has --help', async () => {
    for (const command of ['validate', 'plan', 'apply', 'drift', 'emulator']) {
      const run = await runCli([command, '--help'], { cwd: copyExample() });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: poc ${command}`));
    }
  });
});
