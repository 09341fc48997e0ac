import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';

/** A running emulator on a fresh state directory, with an S3 client pointed at it. */
export interface S3Fixture {
  emu: RunningEmulator;
  s3: S3Client;
  stateDir: string;
  /** Stops the emulator and starts a new one on the same state directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function s3Client(url: string): S3Client {
  return new S3Client({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, forcePathStyle: true });
}

export async function startS3Fixture(): Promise<S3Fixture> {
  const stateDir = mkdtempSync(join(tmpdir(), 'poc-s3-'));
  const fixture: S3Fixture = {
    emu: await startEmulator({ stateDir, durations: ZERO_DURATIONS }),
    s3: undefined as unknown as S3Client, // assigned just below, once the URL is known
    stateDir,
    async restart() {
      fixture.s3.destroy();
      await fixture.emu.close();
      fixture.emu = await startEmulator({ stateDir, durations: ZERO_DURATIONS });
      fixture.s3 = s3Client(fixture.emu.url);
    },
    async stop() {
      fixture.s3.destroy();
      await fixture.emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  fixture.s3 = s3Client(fixture.emu.url);
  return fixture;
}

/** The S3 error a call fails with; fails the test if the call succeeds. */
export async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
