import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.ts';
import { failure, type S3Failure } from './errors.ts';

/** The flexible-checksum algorithms the emulator can verify (others are accepted unverified). */
export type ChecksumAlgorithm = 'crc32' | 'sha1' | 'sha256';

/** A checksum the client sent and the emulator verified; echoed on GetObject/HeadObject. */
export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as in the `x-amz-checksum-<algorithm>` header. */
  readonly value: string;
}

/**
 * A request body fully received into a temporary file (fsynced), not yet visible as an object.
 * The caller either commits it (rename) or discards it.
 */
export interface StagedBody {
  readonly tmpPath: string;
  readonly size: number;
  readonly md5Hex: string;
  readonly checksum?: StoredChecksum;
}

/** Hashes bytes as they pass through: md5 for the ETag, plus the client's checksum algorithm. */
class BodyHasher extends Transform {
  size = 0;
  readonly md5: Hash = createHash('md5');
  private crc = 0;
  private readonly digest: Hash | undefined;

  constructor(readonly algorithm: ChecksumAlgorithm | undefined) {
    super();
    this.digest = algorithm === 'sha1' || algorithm === 'sha256' ? createHash(algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    if (this.algorithm === 'crc32') this.crc = crc32(chunk, this.crc);
    this.digest?.update(chunk);
    done(null, chunk);
  }

  private final: string | undefined;

  /** The checksum of everything that passed, base64; only valid once the stream has ended. */
  checksumBase64(): string | undefined {
    if (this.final !== undefined) return this.final;
    if (this.algorithm === 'crc32') {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(this.crc >>> 0);
      this.final = out.toString('base64');
    } else {
      this.final = this.digest?.digest('base64');
    }
    return this.final;
  }
}

const ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'sha1', 'sha256'];

function checksumAlgorithm(req: IncomingMessage): ChecksumAlgorithm | undefined {
  const trailer = String(req.headers['x-amz-trailer'] ?? '').toLowerCase();
  for (const alg of ALGORITHMS) {
    if (trailer === `x-amz-checksum-${alg}` || req.headers[`x-amz-checksum-${alg}`] !== undefined) return alg;
  }
  return undefined;
}

/**
 * Streams a request body to a temporary file under `tmpDir`, decoding aws-chunked framing and
 * verifying Content-MD5, the flexible checksum (header or trailer) and the declared length.
 * Never holds the body in memory. On any failure the temporary file is removed.
 */
export async function stageBody(req: IncomingMessage, tmpDir: string): Promise<StagedBody | S3Failure> {
  const algorithm = checksumAlgorithm(req);
  const hasher = new BodyHasher(algorithm);
  const tmpPath = join(tmpDir, randomUUID());
  const out = createWriteStream(tmpPath, { flush: true });
  const decoder = isAwsChunked(req.headers) ? new AwsChunkedDecoder() : undefined;
  try {
    if (decoder) await pipeline(req, decoder, hasher, out);
    else await pipeline(req, hasher, out);
  } catch (err) {
    rmSync(tmpPath, { force: true });
    return failure('IncompleteBody', `The request body could not be read: ${(err as Error).message}`);
  }
  const problem = verify(req, hasher, decoder);
  if (problem) {
    rmSync(tmpPath, { force: true });
    return problem;
  }
  const md5Hex = hasher.md5.digest('hex');
  const value = hasher.checksumBase64();
  return { tmpPath, size: hasher.size, md5Hex, ...(algorithm && value ? { checksum: { algorithm, value } } : {}) };
}

function verify(req: IncomingMessage, hasher: BodyHasher, decoder: AwsChunkedDecoder | undefined): S3Failure | undefined {
  const declared = req.headers['x-amz-decoded-content-length'];
  if (decoder && typeof declared === 'string' && Number(declared) !== hasher.size) {
    return failure('IncompleteBody', `You did not provide the number of bytes specified by the x-amz-decoded-content-length header (${declared}, got ${hasher.size})`);
  }
  const contentMd5 = req.headers['content-md5'];
  if (typeof contentMd5 === 'string' && contentMd5 !== hasher.md5.copy().digest('base64')) {
    return failure('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  if (!hasher.algorithm) return undefined;
  const name = `x-amz-checksum-${hasher.algorithm}`;
  const expected = decoder?.trailers.get(name) ?? req.headers[name];
  if (typeof expected === 'string' && expected !== hasher.checksumBase64()) {
    return failure('BadDigest', `The ${hasher.algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
  }
  return undefined;
}
