import type { Readable } from 'node:stream';
import type { FaultConfig } from './faults.ts';

/**
 * How long each lifecycle phase lasts, in milliseconds. Real Personalize takes minutes to hours;
 * the emulator keeps the same phases so waiting code is exercised, but short: about a second by
 * default and 0 in most tests. `scale` multiplies every phase (benchmarks use realistic ratios).
 */
export interface Durations {
  /** CREATE PENDING and CREATE IN_PROGRESS of ordinary resources (dataset groups, datasets...). */
  readonly create: number;
  /** DELETE PENDING / DELETE IN_PROGRESS before the resource is gone. */
  readonly delete: number;
  /** UpdateDataset and other in-place updates. */
  readonly update: number;
  /** Dataset import jobs (on top of the real work of reading the data). */
  readonly import: number;
  /** Solution version training (later issues). */
  readonly training: number;
  /** Campaign create/update (later issues). */
  readonly campaign: number;
  /** CloudFormation stack operations. */
  readonly stack: number;
}

export const DEFAULT_DURATIONS: Durations = {
  create: 500,
  delete: 500,
  update: 500,
  import: 1000,
  training: 1000,
  campaign: 1000,
  stack: 500,
};

export const ZERO_DURATIONS: Durations = {
  create: 0,
  delete: 0,
  update: 0,
  import: 0,
  training: 0,
  campaign: 0,
  stack: 0,
};

/**
 * The part of the emulator's S3 that other emulated services read from inside the process, the
 * way Personalize reads an import's data location. Not an AWS API: the wire protocol is the only
 * way clients reach it.
 */
export interface ObjectReader {
  /** Keys in `bucket` that start with `prefix`, sorted; undefined when the bucket does not exist. */
  listKeys(bucket: string, prefix: string): string[] | undefined;
  /** A stream of the object's bytes; undefined when the bucket or key does not exist. */
  openObject(bucket: string, key: string): Readable | undefined;
  /**
   * Writes (or replaces) an object, as a batch job writes its output; false when the bucket does
   * not exist. Optional so read-only stand-ins (tests of the import runner) need not offer it.
   */
  writeObject?(bucket: string, key: string, body: Uint8Array, contentType: string): boolean;
  bucketExists(bucket: string): boolean;
  createBucket(bucket: string): void;
  deleteBucket(bucket: string): void;
}

export interface EmulatorOptions {
  /** Directory holding all persistent state; created if missing. */
  readonly stateDir: string;
  /** 0 (the default) picks an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  readonly durations?: Partial<Durations>;
  readonly accountId?: string;
  readonly region?: string;
  /** Wire faults to inject; absent: read from POC_EMULATOR_FAULTS, else none. */
  readonly faults?: FaultConfig;
}

/** What every emulated service gets from the server. */
export interface EmulatorContext {
  readonly stateDir: string;
  readonly durations: Durations;
  readonly accountId: string;
  readonly region: string;
  /** Milliseconds since the epoch; injectable so lifecycle code never reads the clock directly. */
  now(): number;
  readonly objects: ObjectReader;
}
