import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../persist.ts';
import type { Transition } from './lifecycle.ts';

/**
 * Status strings as the service spells them. Kinds added later (recommenders) extend this union
 * with their own (STOP PENDING, INACTIVE...); CREATE STOPPING/STOPPED are solution versions'.
 */
export type ResourceStatus =
  | 'CREATE PENDING'
  | 'CREATE IN_PROGRESS'
  | 'ACTIVE'
  | 'CREATE FAILED'
  | 'DELETE PENDING'
  | 'DELETE IN_PROGRESS'
  | 'UPDATE PENDING'
  | 'UPDATE IN_PROGRESS'
  | 'CREATE STOPPING'
  | 'CREATE STOPPED'
  // Recommenders: StopRecommender and StartRecommender (facts section 1).
  | 'STOP PENDING'
  | 'STOP IN_PROGRESS'
  | 'INACTIVE'
  | 'START PENDING'
  | 'START IN_PROGRESS'
  // Batch jobs, as the API reference documents them (facts section 1).
  | 'PENDING'
  | 'IN PROGRESS';

export interface Tag {
  readonly tagKey: string;
  readonly tagValue: string;
}

/**
 * One emulated resource. Invariants: `arn` is unique across the store; `status` is absent only for
 * kinds without a status (schemas); `transition` is present exactly while the resource is moving
 * between statuses on its own (lifecycle.ts); times are epoch milliseconds.
 */
export interface ResourceRecord<A = unknown> {
  readonly kind: string;
  readonly arn: string;
  readonly name: string;
  readonly createdAt: number;
  updatedAt: number;
  status?: ResourceStatus;
  failureReason?: string;
  transition?: Transition;
  tags: Tag[];
  attrs: A;
}

interface StateFile {
  readonly formatVersion: 1;
  readonly records: ResourceRecord[];
}

export const STATE_FILE = 'state.json';

/**
 * All Personalize resources of one emulator, in creation order, persisted as one JSON file that is
 * replaced atomically. Callers `save()` before answering, so an answered call survives `kill -9`.
 */
export class Store {
  private readonly records = new Map<string, ResourceRecord>();

  private constructor(readonly dir: string) {}

  static load(dir: string): Store {
    const store = new Store(dir);
    const file = readJson<StateFile>(join(dir, STATE_FILE), { formatVersion: 1, records: [] });
    for (const record of file.records) store.records.set(record.arn, record);
    return store;
  }

  save(): void {
    writeJsonAtomic(join(this.dir, STATE_FILE), { formatVersion: 1, records: [...this.records.values()] } satisfies StateFile);
  }

  get(arn: string): ResourceRecord | undefined {
    return this.records.get(arn);
  }

  /**
   * A record of one kind. The kind's own module is the only writer of records of that kind, so
   * the attribute type it asks for is the one it stored.
   */
  find<A>(kind: string, arn: string): ResourceRecord<A> | undefined {
    const record = this.records.get(arn);
    return record?.kind === kind ? (record as ResourceRecord<A>) : undefined;
  }

  list<A>(kind: string): ResourceRecord<A>[] {
    const out: ResourceRecord<A>[] = [];
    for (const record of this.records.values()) if (record.kind === kind) out.push(record as ResourceRecord<A>);
    return out;
  }

  all(): IterableIterator<ResourceRecord> {
    return this.records.values();
  }

  put(record: ResourceRecord): void {
    this.records.set(record.arn, record);
  }

  remove(arn: string): void {
    this.records.delete(arn);
  }
}
