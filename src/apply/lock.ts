import { hostname, userInfo } from 'node:os';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { error, PocError } from '../diagnostics/index.ts';
import { errorName, isNotFound } from '../resources/errors.ts';

/**
 * Who holds a POC's apply lock. It is the object `<poc>/lock.json` in the environment's bucket,
 * created with `If-None-Match: *`: S3 lets exactly one of two racing writers create it, so two
 * applies (two CI runners, a laptop and CI) never run at once. Invariant: `id` is unique per
 * acquisition; a holder releases only an object that still carries its own `id`.
 */
export interface LockRecord {
  readonly id: string;
  /** `user@host pid N`. */
  readonly holder: string;
  readonly host: string;
  readonly pid: number;
  readonly command: string;
  readonly acquiredAt: string;
  /** The CI run's URL, when there is one: what a reader clicks to see whether it is alive. */
  readonly by?: string;
}

export function lockKey(pocName: string): string {
  return `${pocName}/lock.json`;
}

export interface LockRequest {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly pocName: string;
  readonly command: string;
  readonly by?: string;
  /** How long to wait for a held lock before failing; 0 fails at once. */
  readonly timeoutMs?: number;
  /** How often to look again while waiting. */
  readonly pollMs?: number;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly bucket: string;
  readonly record: LockRecord;
  /** Deletes the lock object if it is still ours; safe to call more than once. */
  release(): Promise<void>;
}

/** Reads the lock object; undefined when nobody holds it (or it is unreadable garbage). */
export async function readLock(s3: S3Client, bucket: string, pocName: string): Promise<LockRecord | undefined> {
  return (await readLockObject(s3, bucket, pocName))?.record;
}

async function readLockObject(s3: S3Client, bucket: string, pocName: string): Promise<{ record: LockRecord; etag: string | undefined } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: lockKey(pocName) }));
    const parsed: unknown = JSON.parse((await out.Body?.transformToString('utf8')) ?? '');
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as LockRecord).id !== 'string') return undefined;
    return { record: parsed as LockRecord, etag: out.ETag };
  } catch (err) {
    if (isNotFound(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * Whether the holder is a process on this machine that no longer exists (kill -9, a crashed
 * terminal): its lock can be taken over without `unlock --force`. A holder on another machine
 * cannot be checked from here, so it stays until released or force-unlocked.
 */
function deadOnThisHost(record: LockRecord): boolean {
  if (record.host !== hostname() || !Number.isInteger(record.pid) || record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/** `alice@ci-7 pid 412, running 'poc apply' since 2026-01-02T03:04:05Z (https://...)`. */
export function describeHolder(record: LockRecord | undefined): string {
  if (record === undefined) return 'another run (its lock record could not be read)';
  return `${record.holder}, running '${record.command}' since ${record.acquiredAt}${record.by === undefined ? '' : ` (${record.by})`}`;
}

function lockHeld(pocName: string, bucket: string, record: LockRecord | undefined, waitedMs: number): PocError {
  return new PocError(
    error('lock-held', `Another apply of ${pocName} holds the lock${waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ''}: ${describeHolder(record)}. Nothing was changed by this run.`, {
      hint: `Wait for it to finish or pass --lock-timeout 30m; if that run is dead, 'poc unlock --force' removes s3://${bucket}/${lockKey(pocName)}.`,
    }),
    'user',
  );
}

function newRecord(request: LockRequest): LockRecord {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host and pid still identify the run.
  }
  return {
    id: crypto.randomUUID(),
    holder: `${user}@${hostname()} pid ${process.pid}`,
    host: hostname(),
    pid: process.pid,
    command: request.command,
    acquiredAt: new Date().toISOString(),
    ...(request.by === undefined ? {} : { by: request.by }),
  };
}

/**
 * Takes the lock or throws a `lock-held` PocError naming the holder, after waiting up to
 * `timeoutMs` for it to be released.
 */
export async function acquireLock(request: LockRequest): Promise<HeldLock> {
  const record = newRecord(request);
  const key = lockKey(request.pocName);
  const started = Date.now();
  for (;;) {
    try {
      await request.s3.send(new PutObjectCommand({ Bucket: request.bucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json', IfNoneMatch: '*' }));
      return heldLock(request.s3, request.bucket, request.pocName, record);
    } catch (err) {
      // 409 ConditionalRequestConflict: a concurrent writer of the same key won the race.
      if (errorName(err) !== 'PreconditionFailed' && errorName(err) !== 'ConditionalRequestConflict') throw err;
    }
    const current = await readLockObject(request.s3, request.bucket, request.pocName);
    if (current !== undefined && current.etag !== undefined && deadOnThisHost(current.record)) {
      try {
        // If-Match: of two runs taking over the same dead lock, only one replaces it.
        await request.s3.send(new PutObjectCommand({ Bucket: request.bucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json', IfMatch: current.etag }));
        return heldLock(request.s3, request.bucket, request.pocName, record);
      } catch (err) {
        if (errorName(err) !== 'PreconditionFailed' && errorName(err) !== 'ConditionalRequestConflict') throw err;
      }
    }
    const waited = Date.now() - started;
    const timeoutMs = request.timeoutMs ?? 0;
    if (waited >= timeoutMs) throw lockHeld(request.pocName, request.bucket, current?.record, timeoutMs > 0 ? waited : 0);
    await new Promise((r) => setTimeout(r, Math.min(request.pollMs ?? 5_000, Math.max(1, timeoutMs - waited))));
  }
}

function heldLock(s3: S3Client, bucket: string, pocName: string, record: LockRecord): HeldLock {
  let released = false;
  return {
    bucket,
    record,
    async release() {
      if (released) return;
      released = true;
      // Someone ran `unlock --force` and another apply may hold it now: leave theirs alone.
      const current = await readLock(s3, bucket, pocName);
      if (current?.id === record.id) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: lockKey(pocName) }));
    },
  };
}

/** Removes the lock whoever holds it (`poc unlock --force`); returns what it removed. */
export async function forceUnlock(s3: S3Client, bucket: string, pocName: string): Promise<LockRecord | undefined> {
  const current = await readLock(s3, bucket, pocName);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: lockKey(pocName) }));
  return current;
}

/** `90`, `90s`, `15m`, `2h` (a bare number is seconds) as milliseconds; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}
