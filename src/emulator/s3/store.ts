import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readJson, writeJsonAtomic } from '../persist.ts';
import type { StagedBody, StoredChecksum } from './body.ts';
import { failure, type S3Failure } from './errors.ts';

/**
 * What S3 knows about one object besides its bytes. Invariants: `etag` is quoted (`"md5hex"`, or
 * `"md5-of-md5s-N"` for multipart objects); `dataFile` names a complete, fsynced file under the
 * store's `data/` directory that no other object references.
 */
export interface ObjectMeta {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: number;
  readonly contentType: string;
  /** `x-amz-meta-*` headers, names lower-cased without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly dataFile: string;
  readonly checksum?: StoredChecksum;
}

/** Properties a writer sets on an object (PutObject headers, or CreateMultipartUpload's). */
export interface ObjectProps {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** S3 conditional writes: `If-None-Match: *` (create only) and `If-Match: <etag>` (compare and swap). */
export interface WriteCondition {
  readonly ifNoneMatch?: string;
  readonly ifMatch?: string;
}

interface BucketRecord {
  readonly name: string;
  readonly createdAt: number;
}

interface BucketState {
  readonly record: BucketRecord;
  readonly objects: Map<string, ObjectMeta>;
  /** Keys in S3's order (UTF-8 bytes), kept sorted on every write so listing is a binary search. */
  readonly keys: string[];
}

/** S3 orders keys by their UTF-8 bytes, which differs from UTF-16 order beyond the BMP. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** First index in sorted `keys` whose key is >= `key` (or > when `after`). */
export function lowerBound(keys: readonly string[], key: string, after = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = compareKeys(keys[mid] as string, key);
    if (cmp < 0 || (after && cmp === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The emulator's buckets and objects on disk, under `root`:
 * `buckets/<bucket>/bucket.json`, `buckets/<bucket>/objects/<sha256(key)>.json` (metadata, written
 * atomically) and `data/<uuid>` (bytes). An object becomes visible only when its metadata file is
 * renamed into place, after its bytes were fsynced and renamed from `tmp/`; a crash at any point
 * leaves either the old object or the new one, and unreferenced data files are swept on load.
 * Metadata is also indexed in memory; bytes never are.
 */
export class ObjectStore {
  readonly tmpDir: string;
  private readonly dataDir: string;
  private readonly bucketsDir: string;
  private readonly buckets = new Map<string, BucketState>();

  constructor(readonly root: string, private readonly now: () => number) {
    this.tmpDir = join(root, 'tmp');
    this.dataDir = join(root, 'data');
    this.bucketsDir = join(root, 'buckets');
    rmSync(this.tmpDir, { recursive: true, force: true });
    for (const dir of [this.tmpDir, this.dataDir, this.bucketsDir]) mkdirSync(dir, { recursive: true });
    this.load();
  }

  /** Rebuilds the index from disk and sweeps what a crash left behind (orphan data, temp files). */
  private load(): void {
    const referenced = new Set<string>();
    for (const name of readdirSync(this.bucketsDir)) {
      const record = readJson<BucketRecord | undefined>(join(this.bucketsDir, name, 'bucket.json'), undefined);
      if (!record) {
        rmSync(join(this.bucketsDir, name), { recursive: true, force: true });
        continue;
      }
      const state: BucketState = { record, objects: new Map(), keys: [] };
      const objectsDir = join(this.bucketsDir, name, 'objects');
      if (existsSync(objectsDir)) {
        for (const file of readdirSync(objectsDir)) {
          if (!file.endsWith('.json')) {
            rmSync(join(objectsDir, file), { force: true });
            continue;
          }
          const meta = readJson<ObjectMeta | undefined>(join(objectsDir, file), undefined);
          if (!meta) continue;
          state.objects.set(meta.key, meta);
          referenced.add(meta.dataFile);
        }
      }
      state.keys.push(...[...state.objects.keys()].sort(compareKeys));
      this.buckets.set(name, state);
    }
    for (const file of readdirSync(this.dataDir)) if (!referenced.has(file)) rmSync(join(this.dataDir, file), { force: true });
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  bucketCreatedAt(bucket: string): number | undefined {
    return this.buckets.get(bucket)?.record.createdAt;
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  createBucket(name: string): 'created' | 'exists' {
    if (this.buckets.has(name)) return 'exists';
    const record: BucketRecord = { name, createdAt: this.now() };
    mkdirSync(join(this.bucketsDir, name, 'objects'), { recursive: true });
    writeJsonAtomic(join(this.bucketsDir, name, 'bucket.json'), record);
    this.buckets.set(name, { record, objects: new Map(), keys: [] });
    return 'created';
  }

  deleteBucket(name: string): 'deleted' | 'not-found' | 'not-empty' {
    const state = this.buckets.get(name);
    if (!state) return 'not-found';
    if (state.keys.length > 0) return 'not-empty';
    // Removing the marker first makes the deletion atomic; the directory is swept on load otherwise.
    rmSync(join(this.bucketsDir, name, 'bucket.json'), { force: true });
    rmSync(join(this.bucketsDir, name), { recursive: true, force: true });
    this.buckets.delete(name);
    return 'deleted';
  }

  /** Sorted keys of a bucket; undefined when it does not exist. Callers must not mutate it. */
  keys(bucket: string): readonly string[] | undefined {
    return this.buckets.get(bucket)?.keys;
  }

  get(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  /**
   * Opens the object's bytes (inclusive `start`..`end` when given). The file descriptor is opened
   * now, so a concurrent overwrite or delete cannot pull the bytes from under the reader.
   */
  open(meta: ObjectMeta, range?: { start: number; end: number }): Readable {
    const path = join(this.dataDir, meta.dataFile);
    const fd = openSync(path, 'r');
    return createReadStream(path, { fd, ...(range ?? {}) });
  }

  /**
   * Makes a staged body visible as `bucket/key`, honouring the write condition at the moment of
   * commit (so of two racing `If-None-Match: *` writers exactly one wins). The staged file is
   * consumed either way.
   */
  commit(bucket: string, key: string, staged: StagedBody, props: ObjectProps, condition: WriteCondition, etag?: string): ObjectMeta | S3Failure {
    const state = this.buckets.get(bucket);
    const problem = state ? checkCondition(state.objects.get(key), key, condition) : failure('NoSuchBucket', 'The specified bucket does not exist', { bucket });
    if (problem !== undefined || state === undefined) {
      rmSync(staged.tmpPath, { force: true });
      return problem as S3Failure;
    }
    const dataFile = randomUUID();
    renameSync(staged.tmpPath, join(this.dataDir, dataFile));
    const meta: ObjectMeta = {
      key,
      etag: etag ?? `"${staged.md5Hex}"`,
      size: staged.size,
      lastModified: this.now(),
      contentType: props.contentType,
      metadata: props.metadata,
      dataFile,
      ...(staged.checksum ? { checksum: staged.checksum } : {}),
    };
    writeJsonAtomic(this.metaPath(bucket, key), meta);
    const previous = state.objects.get(key);
    state.objects.set(key, meta);
    if (previous) rmSync(join(this.dataDir, previous.dataFile), { force: true });
    else state.keys.splice(lowerBound(state.keys, key), 0, key);
    return meta;
  }

  /** Deletes an object; deleting an absent key succeeds, as in S3. */
  delete(bucket: string, key: string): void {
    const state = this.buckets.get(bucket);
    const meta = state?.objects.get(key);
    if (!state || !meta) return;
    rmSync(this.metaPath(bucket, key), { force: true });
    rmSync(join(this.dataDir, meta.dataFile), { force: true });
    state.objects.delete(key);
    const at = lowerBound(state.keys, key);
    if (state.keys[at] === key) state.keys.splice(at, 1);
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.bucketsDir, bucket, 'objects', `${createHash('sha256').update(key).digest('hex')}.json`);
  }
}

function checkCondition(existing: ObjectMeta | undefined, key: string, condition: WriteCondition): S3Failure | undefined {
  if (condition.ifNoneMatch !== undefined && existing) {
    return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key, condition: 'If-None-Match' });
  }
  if (condition.ifMatch !== undefined) {
    if (!existing) return failure('NoSuchKey', 'The specified key does not exist.', { key });
    if (!etagMatches(condition.ifMatch, existing.etag)) {
      return failure('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { key, condition: 'If-Match' });
    }
  }
  return undefined;
}

/** Whether an `If-Match`/`If-None-Match` header value (a list of ETags, quoted or not, or `*`) names `etag`. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return header.split(',').some((candidate) => {
    const c = candidate.trim().replace(/^W\//, '').replace(/"/g, '');
    return c === '*' || c === bare;
  });
}
