import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ZERO_DURATIONS } from '../../src/emulator/index.ts';
import { runCli } from '../cli/harness.ts';
import { startChaosEmulator, writeSmallPoc, type ChaosEmulator } from '../chaos/harness.ts';
import { leftovers } from './leftovers.ts';

async function withPoc(name: string, edit: (yaml: string) => string, body: (chaos: ChaosEmulator, cli: (...argv: string[]) => ReturnType<typeof runCli>) => Promise<void>): Promise<void> {
  const dir = writeSmallPoc(name, { solutions: false });
  const file = join(dir, 'poc.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  const chaos = await startChaosEmulator(dir, undefined, ZERO_DURATIONS);
  try {
    await body(chaos, (...argv) => runCli([...argv, '--endpoint', chaos.emu.url], { cwd: dir }));
  } finally {
    await chaos.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('what destroy does with the environment', () => {
  it('--keep-environment leaves the stack, its bucket and data; a later destroy removes them', async () => {
    await withPoc('keep-env', (y) => y, async (chaos, cli) => {
      expect((await cli('apply', '--yes')).code).toBe(0);
      const kept = await cli('destroy', '--yes', '--keep-environment');
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stdout).toContain('Keeping the environment keep-env-env and everything in it (--keep-environment).');
      const left = await leftovers(chaos.clients, 'keep-env');
      expect(left.filter((l) => !/^(stack|bucket|object) /.test(l))).toEqual([]);
      expect(left.filter((l) => l.startsWith('stack '))).toEqual(['stack keep-env-env CREATE_COMPLETE']);
      expect(left.some((l) => l.includes('/keep-env/data/'))).toBe(true);

      const again = await cli('destroy', '--yes', '--keep-environment');
      expect(again.stdout).toContain('Nothing to destroy');
      const all = await cli('destroy', '--yes');
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).toMatch(/^Destroy complete: 1 deleted, 0 failed, 0 not reached, \d+ S3 object\(s\) deleted\./m);
      expect(await leftovers(chaos.clients, 'keep-env')).toEqual([]);
    });
  }, 60_000);

  it('with environment: existing, deletes only the POC objects in a bucket that is not ours', async () => {
    const existing = (y: string) => y.replace(/environment:\n {2}stack: \{[^}]*\}/, 'environment:\n  existing: { bucket: team-bucket, roleArn: arn:aws:iam::000000000000:role/PersonalizeS3 }');
    await withPoc('shared-env', existing, async (chaos, cli) => {
      await chaos.clients.s3.send(new CreateBucketCommand({ Bucket: 'team-bucket' }));
      await chaos.clients.s3.send(new PutObjectCommand({ Bucket: 'team-bucket', Key: 'other-team/keep.csv', Body: 'a,b\n' }));
      const apply = await cli('apply', '--yes');
      expect(apply.code, apply.stderr).toBe(0);
      expect((await leftovers(chaos.clients, 'shared-env')).some((l) => l.startsWith('object s3://team-bucket/shared-env/data/'))).toBe(true);

      const run = await cli('destroy', '--yes');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/The bucket team-bucket is not this POC's \(environment: existing\): only the \d+ object\(s\) under s3:\/\/team-bucket\/shared-env\/ are deleted\./);
      expect(await leftovers(chaos.clients, 'shared-env')).toEqual([]);
      const rest = await chaos.clients.s3.send(new ListObjectsV2Command({ Bucket: 'team-bucket' }));
      expect((rest.Contents ?? []).map((o) => o.Key)).toEqual(['other-team/keep.csv']);
      expect((await cli('destroy', '--yes')).stdout).toContain('Nothing to destroy');
    });
  }, 60_000);
});
