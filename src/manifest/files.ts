import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { YamlSource } from './yaml-source.ts';

/** What the checks need to know about the manifest being loaded. */
export interface ManifestContext {
  readonly source: YamlSource;
  /** The manifest path as the caller gave it: diagnostics show paths relative to the same place. */
  readonly displayFile: string;
  /** Absolute directory relative paths in the manifest are resolved against. */
  readonly baseDir: string;
}

/** A path from poc.yaml, absolute for reading and as the user would type it for messages. */
export function resolvePaths(asWritten: string, ctx: ManifestContext): { absolute: string; display: string } {
  return {
    absolute: resolve(ctx.baseDir, asWritten),
    display: isAbsolute(asWritten) ? asWritten : join(dirname(ctx.displayFile), asWritten),
  };
}

export type FileProblemCode = 'missing' | 'not-a-file' | 'unreadable';

/** Why `absolute` cannot be read as a regular file, or undefined when it can. */
export async function fileProblem(absolute: string): Promise<{ code: FileProblemCode; message: string } | undefined> {
  try {
    const s = await stat(absolute);
    if (!s.isFile()) return { code: 'not-a-file', message: 'is not a regular file' };
  } catch {
    return { code: 'missing', message: 'does not exist' };
  }
  try {
    await access(absolute, constants.R_OK);
  } catch {
    return { code: 'unreadable', message: 'is not readable' };
  }
  return undefined;
}
