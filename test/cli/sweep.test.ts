import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';
import { inventory, writeSmallPoc } from '../chaos/harness.ts';
import { runCli } from './harness.ts';

/**
 * Bad input of every kind through every command that reads it, against a live endpoint that
 * already holds the POC: one located error line, exit 1, no stack trace, and the account exactly
 * as it was.
 */
let emu: RunningEmulator;
let clients: Clients;
let pristine: string;
let wrongServer: Server;
let wrongUrl: string;
const POC = 'sweep';

/** Everything observable: Personalize resources, the stack, and every S3 object with its ETag. */
async function snapshot(): Promise<string> {
  const objects: string[] = [];
  for (const b of (await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    for (const o of (await clients.s3.send(new ListObjectsV2Command({ Bucket: b.Name }))).Contents ?? []) objects.push(`${b.Name}/${o.Key} ${o.ETag}`);
  }
  return JSON.stringify({ inventory: await inventory(clients, POC), objects: objects.sort() });
}

beforeAll(async () => {
  emu = await startEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'poc-sweep-state-')), durations: ZERO_DURATIONS, faults: {} });
  clients = createClients({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 });
  // No solutions: the sweep is about input, and trainings would only slow it down.
  pristine = writeSmallPoc(POC, { solutions: false });
  const applied = await runCli(['apply', '--endpoint', emu.url, '--yes'], { cwd: pristine });
  expect(applied.code, applied.stderr).toBe(0);
  // An HTTP server that is not AWS: every answer is an HTML 404.
  wrongServer = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not Found</body></html>');
  });
  await new Promise<void>((ok) => wrongServer.listen(0, '127.0.0.1', ok));
  wrongUrl = `http://127.0.0.1:${(wrongServer.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  clients.destroy();
  await emu.close();
  await new Promise<void>((ok) => wrongServer.close(() => ok()));
  rmSync(pristine, { recursive: true, force: true });
});

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-sweep-'));
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

const edit = (dir: string, file: string, from: string, to: string): void => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture edit did not apply to ${file}`);
  writeFileSync(path, text.replace(from, to));
};

interface Case {
  readonly name: string;
  readonly breakIt?: (dir: string) => void;
  /** Extra arguments (a bad endpoint, a bad option value). */
  readonly args?: () => string[];
  /** The error line, with its location. */
  readonly expected: RegExp;
  readonly commands?: readonly string[];
  /** The whole failure is exactly one error line (not one per resource). */
  readonly oneError?: boolean;
}

const READERS = ['validate', 'plan', 'apply', 'drift', 'unlock'] as const;
const CALLERS = ['plan', 'apply', 'drift', 'unlock'] as const;

const CASES: readonly Case[] = [
  { name: 'malformed YAML', breakIt: (d) => edit(d, 'poc.yaml', 'region: us-east-1', 'region: [us-east-1'), expected: /^poc\.yaml:\d+:\d+: error \[yaml-[a-z0-9-]+\]/m },
  { name: 'a wrong type', breakIt: (d) => edit(d, 'poc.yaml', 'version: 1', 'version: "one"'), expected: /^poc\.yaml:1:\d+: error \[[a-z0-9-]+\].*version/m },
  { name: 'an unknown key', breakIt: (d) => edit(d, 'poc.yaml', 'region: us-east-1', 'regoin: us-east-1'), expected: /^poc\.yaml:3:\d+: error \[[a-z0-9-]+\].*regoin/m },
  { name: 'a missing manifest', breakIt: (d) => rmSync(join(d, 'poc.yaml')), expected: /^poc\.yaml: error \[manifest-[a-z0-9-]+\]/m },
  { name: 'a manifest that is a directory (unreadable)', breakIt: (d) => (rmSync(join(d, 'poc.yaml')), mkdirSync(join(d, 'poc.yaml'))), expected: /^poc\.yaml: error \[manifest-[a-z0-9-]+\]/m },
  { name: 'a non-UTF-8 manifest', breakIt: (d) => writeFileSync(join(d, 'poc.yaml'), Buffer.concat([readFileSync(join(d, 'poc.yaml')), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a])])), expected: /^poc\.yaml: error \[manifest-not-utf8\]/m },
  { name: 'a missing data file', breakIt: (d) => rmSync(join(d, 'data', 'interactions.csv')), expected: /^poc\.yaml:\d+:\d+: error \[[a-z0-9-]+\].*data\/interactions\.csv/m },
  { name: 'a data file that is a directory (unreadable)', breakIt: (d) => (rmSync(join(d, 'data', 'interactions.csv')), mkdirSync(join(d, 'data', 'interactions.csv'))), expected: /^poc\.yaml:\d+:\d+: error \[[a-z0-9-]+\].*data\/interactions\.csv/m },
  { name: 'a non-UTF-8 data file', breakIt: (d) => writeFileSync(join(d, 'data', 'interactions.csv'), Buffer.concat([readFileSync(join(d, 'data', 'interactions.csv')), Buffer.from('U001,P\xff\xfe1,1717300000,View\n', 'latin1')])), expected: /^\s*data\/interactions\.csv:\d+:\d+: error \[[a-z0-9-]+\]/m },
  { name: 'a schema that is not JSON', breakIt: (d) => writeFileSync(join(d, 'schemas', 'interactions.avsc'), '{ "type": "record", '), expected: /^schemas\/interactions\.avsc:\d+:\d+: error \[[a-z0-9-]+\]/m },
  {
    // Refused by size before it is read: 64 MiB used to exhaust the heap in the YAML parser.
    name: 'a huge manifest (4 MiB)',
    breakIt: (d) => writeFileSync(join(d, 'poc.yaml'), `${readFileSync(join(d, 'poc.yaml'), 'utf8')}junk: "${'x'.repeat(4 * 1024 * 1024)}"\n`),
    expected: /^poc\.yaml: error \[manifest-too-large\] poc\.yaml is 4\.0 MiB; a manifest is at most 1 MiB/m,
  },
  { name: 'an unreachable endpoint', args: () => ['--endpoint', 'http://127.0.0.1:1'], expected: /^error \[endpoint-unreachable\] Cannot reach http:\/\/127\.0\.0\.1:1: /m, commands: CALLERS, oneError: true },
  { name: 'an endpoint that is not AWS', args: () => ['--endpoint', wrongUrl], expected: /^error \[endpoint-not-aws\] http:\/\/127\.0\.0\.1:\d+ answered, but not as AWS does/m, commands: ['plan', 'apply', 'drift'], oneError: true },
  { name: 'an endpoint that is not a URL', args: () => ['--endpoint', 'localhost:4566'], expected: /^error \[invalid-endpoint\] --endpoint must be an http\(s\) URL; got 'localhost:4566'/m, commands: CALLERS },
  { name: 'a bad --lock-timeout', args: () => ['--lock-timeout', 'soon'], expected: /^error \[invalid-option-value\] --lock-timeout must be a duration/m, commands: ['apply'] },
];

describe('bad input through every command', () => {
  for (const c of CASES) {
    it(`${c.name}: one located error line, exit 1, no stack trace, live state unchanged`, async () => {
      const before = await snapshot();
      const dir = copy();
      c.breakIt?.(dir);
      try {
        for (const command of c.commands ?? READERS) {
          const args = [command, ...(c.args?.() ?? ['--endpoint', emu.url]), ...(command === 'apply' ? ['--yes'] : [])];
          const run = await runCli(args, { cwd: dir });
          const output = run.stderr + run.stdout;
          expect(run.code, `${command}: ${output.slice(0, 2000)}`).toBe(1);
          expect(output).toMatch(c.expected);
          if (c.oneError === true) expect(output.match(/ error \[|^error \[/gm), output).toHaveLength(1);
          expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
          for (const line of run.stderr.split('\n').filter((l) => / error \[/.test(l))) expect(line.length, line.slice(0, 200)).toBeLessThan(2_000);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(await snapshot()).toBe(before);
    }, 120_000);
  }

  it('show: a missing plan file and a plan that is not JSON', async () => {
    const dir = copy();
    try {
      writeFileSync(join(dir, 'broken.json'), '{"formatVersion": 1,');
      for (const [file, expected] of [
        ['plans/none.json', /plans\/none\.json.*error \[[a-z0-9-]+\]|error \[[a-z0-9-]+\].*plans\/none\.json/],
        ['broken.json', /broken\.json(:\d+:\d+)?: error \[[a-z0-9-]+\]/],
      ] as const) {
        const run = await runCli(['show', file], { cwd: dir });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(expected);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('emulator: a bad --port', async () => {
    const port = await runCli(['emulator', '--port', '99999'], { cwd: pristine });
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/^error \[invalid-option-value\] --port must be an integer from 0 to 65535; got '99999'/m);
  });
});
