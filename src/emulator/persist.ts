import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Crash-safe persistence for the emulator's state files. A write goes to a temporary file that is
 * fsynced and then renamed over the old one, so after a `kill -9` a reader sees either the old
 * state or the new one, never half of each. Callers write before answering a request, so the
 * effect of a call that returned is never lost.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Reads a state file written by {@link writeJsonAtomic}; `fallback` when it does not exist yet. */
export function readJson<T>(path: string, fallback: T): T {
  if (!existsSync(path)) return fallback;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
