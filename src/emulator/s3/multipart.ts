import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readJson, writeJsonAtomic } from '../persist.ts';
import type { StagedBody } from './body.ts';
import { failure, type S3Failure } from './errors.ts';
import type { ObjectProps } from './store.ts';

/** S3's minimum size for every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

/** An in-progress multipart upload; invariant: `uploadId` is unique and names its directory. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly props: ObjectProps;
  readonly initiated: number;
}

/** One received part; `file` is a complete part file in the upload's directory. */
export interface PartRecord {
  readonly partNumber: number;
  /** Quoted md5 hex of the part. */
  readonly etag: string;
  readonly size: number;
  readonly file: string;
}

/** A part as named in a CompleteMultipartUpload request. */
export interface RequestedPart {
  readonly partNumber: number;
  readonly etag: string;
}

interface UploadState {
  readonly record: UploadRecord;
  readonly parts: Map<number, PartRecord>;
}

/**
 * Multipart uploads on disk under `root/<uploadId>/`: `upload.json`, and per part a data file
 * with a unique name plus `part-<n>.json` pointing at it (written last, so a re-sent part replaces
 * the old one atomically). Survives restarts; orphan files are swept on load.
 */
export class MultipartStore {
  private readonly uploads = new Map<string, UploadState>();

  constructor(private readonly root: string, private readonly now: () => number) {
    mkdirSync(root, { recursive: true });
    for (const id of readdirSync(root)) this.loadUpload(id);
  }

  private loadUpload(id: string): void {
    const dir = join(this.root, id);
    const record = readJson<UploadRecord | undefined>(join(dir, 'upload.json'), undefined);
    if (!record) {
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const parts = new Map<number, PartRecord>();
    const files = readdirSync(dir);
    for (const file of files) {
      if (!/^part-\d+\.json$/.test(file)) continue;
      const part = readJson<PartRecord | undefined>(join(dir, file), undefined);
      if (part) parts.set(part.partNumber, part);
    }
    const referenced = new Set([...parts.values()].map((p) => p.file));
    for (const file of files) {
      if (file !== 'upload.json' && !/^part-\d+\.json$/.test(file) && !referenced.has(file)) rmSync(join(dir, file), { force: true });
    }
    this.uploads.set(id, { record, parts });
  }

  create(bucket: string, key: string, props: ObjectProps): UploadRecord {
    const record: UploadRecord = { uploadId: randomUUID().replace(/-/g, ''), bucket, key, props, initiated: this.now() };
    writeJsonAtomic(join(this.root, record.uploadId, 'upload.json'), record);
    this.uploads.set(record.uploadId, { record, parts: new Map() });
    return record;
  }

  /** The upload, when it exists and belongs to `bucket/key`. */
  get(uploadId: string, bucket: string, key: string): UploadRecord | undefined {
    const record = this.uploads.get(uploadId)?.record;
    return record && record.bucket === bucket && record.key === key ? record : undefined;
  }

  /** Stores a staged part (replacing an earlier one with the same number). */
  putPart(uploadId: string, partNumber: number, staged: StagedBody): PartRecord | undefined {
    const state = this.uploads.get(uploadId);
    if (!state) {
      rmSync(staged.tmpPath, { force: true });
      return undefined;
    }
    const dir = join(this.root, uploadId);
    const part: PartRecord = { partNumber, etag: `"${staged.md5Hex}"`, size: staged.size, file: `data-${randomUUID()}` };
    renameSync(staged.tmpPath, join(dir, part.file));
    writeJsonAtomic(join(dir, `part-${partNumber}.json`), part);
    const previous = state.parts.get(partNumber);
    state.parts.set(partNumber, part);
    if (previous) rmSync(join(dir, previous.file), { force: true });
    return part;
  }

  /**
   * Checks the requested part list against the received parts and streams them, in order, into a
   * temporary file under `tmpDir`. Returns the staged object and its multipart ETag.
   */
  async assemble(uploadId: string, requested: readonly RequestedPart[], tmpDir: string): Promise<{ staged: StagedBody; etag: string } | S3Failure> {
    const state = this.uploads.get(uploadId);
    if (!state) return failure('NoSuchUpload', 'The specified upload does not exist.');
    if (requested.length === 0) return failure('MalformedXML', 'You must specify at least one part');
    const chosen: PartRecord[] = [];
    for (const [i, want] of requested.entries()) {
      if (i > 0 && want.partNumber <= (requested[i - 1] as RequestedPart).partNumber) {
        return failure('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      }
      const part = state.parts.get(want.partNumber);
      if (!part || part.etag.replace(/"/g, '') !== want.etag.replace(/"/g, '')) {
        return failure('InvalidPart', `One or more of the specified parts could not be found (part ${want.partNumber}).`);
      }
      if (i < requested.length - 1 && part.size < MIN_PART_BYTES) {
        return failure('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size (part ${want.partNumber}: ${part.size} bytes).`);
      }
      chosen.push(part);
    }
    const dir = join(this.root, uploadId);
    const tmpPath = join(tmpDir, randomUUID());
    const whole = createHash('md5');
    async function* concatenated(): AsyncGenerator<Buffer> {
      for (const part of chosen) {
        for await (const chunk of createReadStream(join(dir, part.file))) {
          whole.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      }
    }
    await pipeline(concatenated, createWriteStream(tmpPath, { flush: true }));
    const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${chosen.length}"`;
    const size = chosen.reduce((sum, p) => sum + p.size, 0);
    return { staged: { tmpPath, size, md5Hex: whole.digest('hex') }, etag };
  }

  remove(uploadId: string): boolean {
    if (!this.uploads.delete(uploadId)) return false;
    const dir = join(this.root, uploadId);
    // The marker goes first so a crash mid-removal leaves an upload that load() sweeps.
    rmSync(join(dir, 'upload.json'), { force: true });
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return true;
  }
}
