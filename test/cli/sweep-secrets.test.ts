import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPoc, startChaosEmulator, writeSmallPoc, type ChaosEmulator } from '../chaos/harness.ts';

/** Credentials in the environment, as a CI runner has them: none may reach a plan, a log or an error. */
const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAPOCSWEEPSECRET01',
  AWS_SECRET_ACCESS_KEY: 'sweep/Secret+Access+Key/0123456789abcdefABCD',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEPOCSWEEPSESSIONTOKEN',
};
/** What signed requests carry: never to be printed either. */
const SIGNING = [/Signature=[0-9a-f]{16}/, /X-Amz-Security-Token/i, /Authorization:/i, /poc-local\/\d{8}\//];

let dir: string;
let chaos: ChaosEmulator;

beforeAll(async () => {
  dir = writeSmallPoc('secrets', { solutions: false });
  chaos = await startChaosEmulator(dir);
});
afterAll(async () => {
  await chaos.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectClean(what: string, text: string): void {
  for (const secret of Object.values(SECRETS)) expect(text.includes(secret), `${what} contains a credential`).toBe(false);
  for (const pattern of SIGNING) expect(text, `${what} contains request signing material`).not.toMatch(pattern);
}

describe('credentials stay out of plans and logs', () => {
  it('plan files, trace-level logs, apply events and debug error output carry no credentials', async () => {
    const env = { ...SECRETS };
    const plan = await runPoc(dir, ['plan', '--endpoint', chaos.emu.url, '--out', 'plans/first.json', '--debug', '--log-level', 'trace'], { env });
    expect(plan.code, plan.stderr).toBe(0);
    expectClean('plan output', plan.stdout + plan.stderr);
    expectClean('saved plan', readFileSync(join(dir, 'plans', 'first.json'), 'utf8'));
    const apply = await runPoc(dir, ['apply', '--endpoint', chaos.emu.url, '--yes', '--json', '--debug', '--log-level', 'trace'], { env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr.length).toBeGreaterThan(1_000);
    expectClean('apply output and logs', apply.stdout + apply.stderr);
    const failing = await runPoc(dir, ['drift', '--endpoint', 'http://127.0.0.1:1', '--debug', '--log-level', 'trace'], { env });
    expect(failing.code).toBe(1);
    expectClean('error output with --debug', failing.stdout + failing.stderr);
  }, 120_000);
});
