import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound } from '../resources/errors.ts';
import type { StepHooks, StepOp, StepRef } from './events.ts';

/**
 * One line of an apply's journal. A run writes `run` first, `before` ahead of each mutating step
 * and `after` once it ended, and `end` when it finished (cleanly or not); a run killed mid-way has
 * `before` lines without their `after` and no `end`.
 */
export type JournalEntry =
  | { readonly type: 'run'; readonly run: string; readonly at: string; readonly command: string; readonly planDigest?: string }
  | { readonly type: 'before'; readonly run: string; readonly at: string; readonly step: string; readonly address: string; readonly op: StepOp }
  | { readonly type: 'after'; readonly run: string; readonly at: string; readonly step: string; readonly address: string; readonly op: StepOp; readonly outcome: 'succeeded' | 'failed'; readonly resourceId?: string }
  | { readonly type: 'end'; readonly run: string; readonly at: string };

/**
 * Where journals live. The journal is kept in the environment's bucket, beside the lock, at
 * `<poc>/journal/<run>.jsonl`, and not on the runner's disk: a killed CI runner takes its disk
 * with it, and the rerun may be on another machine; S3 outlives both, and every run that may
 * take the lock can read it. Each write replaces the whole object (S3 has no append and a PUT
 * is atomic), so a reader sees some complete prefix of the run, never a torn line.
 */
export interface JournalStore {
  write(run: string, entries: readonly JournalEntry[]): Promise<void>;
  /** Run ids, oldest first. */
  runs(): Promise<string[]>;
  read(run: string): Promise<JournalEntry[]>;
  remove(run: string): Promise<void>;
}

/** Journals kept per POC: enough to investigate a bad week, bounded so the prefix stays small. */
export const JOURNALS_KEPT = 20;

export function journalPrefix(pocName: string): string {
  return `${pocName}/journal/`;
}

export function s3JournalStore(s3: S3Client, bucket: string, pocName: string): JournalStore {
  const prefix = journalPrefix(pocName);
  return {
    async write(run, entries) {
      const body = entries.map((e) => JSON.stringify(e)).join('\n');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${run}.jsonl`, Body: `${body}\n`, ContentType: 'application/x-ndjson' }));
    },
    async runs() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
        for (const o of page.Contents ?? []) if (o.Key?.endsWith('.jsonl') === true) keys.push(o.Key.slice(prefix.length, -'.jsonl'.length));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort();
    },
    async read(run) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${run}.jsonl` }));
        return parseJournal((await out.Body?.transformToString('utf8')) ?? '');
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    },
    async remove(run) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}${run}.jsonl` }));
    },
  };
}

/** Parses JSONL, skipping lines that are not journal entries (a journal is advice, not truth). */
export function parseJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as JournalEntry;
      if (typeof value === 'object' && value !== null && typeof value.type === 'string' && typeof value.run === 'string') out.push(value);
    } catch {
      // A hand-edited or truncated line; the rest still tells what happened.
    }
  }
  return out;
}

/** What a journal says about one run. Invariants: the lists are disjoint by step id and sorted. */
export interface RunSummary {
  readonly run: string;
  readonly startedAt: string;
  /** Whether the run wrote its `end` line; false after kill -9, a CI timeout or a lost runner. */
  readonly finished: boolean;
  readonly succeeded: readonly { readonly step: string; readonly resourceId?: string }[];
  readonly failed: readonly string[];
  /** Steps that started and never reported back: what a rerun adopts instead of creating again. */
  readonly inFlight: readonly string[];
}

export function summarizeRun(entries: readonly JournalEntry[]): RunSummary | undefined {
  const first = entries[0];
  if (first === undefined) return undefined;
  const started = new Set<string>();
  const ended = new Map<string, { outcome: 'succeeded' | 'failed'; resourceId?: string }>();
  let finished = false;
  for (const e of entries) {
    if (e.type === 'before') started.add(e.step);
    else if (e.type === 'after') ended.set(e.step, { outcome: e.outcome, ...(e.resourceId === undefined ? {} : { resourceId: e.resourceId }) });
    else if (e.type === 'end') finished = true;
  }
  const succeeded = [...ended].filter(([, v]) => v.outcome === 'succeeded').map(([step, v]) => ({ step, ...(v.resourceId === undefined ? {} : { resourceId: v.resourceId }) }));
  return {
    run: first.run,
    startedAt: first.at,
    finished,
    succeeded: succeeded.sort((a, b) => a.step.localeCompare(b.step)),
    failed: [...ended].filter(([, v]) => v.outcome === 'failed').map(([s]) => s).sort(),
    inFlight: [...started].filter((s) => !ended.has(s)).sort(),
  };
}

/** A new run id: sortable by time, unique across machines. */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * The journal of this run. Entries are kept in memory and written through to a store once there
 * is one (the bucket may not exist until the run's first step creates it); writes are serialised,
 * and each carries every entry so far.
 */
export class Journal {
  private readonly entries: JournalEntry[] = [];
  private store: JournalStore | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly run: string,
    command: string,
    planDigest?: string,
  ) {
    this.entries.push({ type: 'run', run, at: new Date().toISOString(), command, ...(planDigest === undefined ? {} : { planDigest }) });
  }

  /** Starts writing to `store`, with everything recorded so far. */
  async attach(store: JournalStore): Promise<void> {
    this.store = store;
    await this.flush();
  }

  get attached(): boolean {
    return this.store !== undefined;
  }

  /** The previous run in `store`, if any: the one a rerun resumes after. */
  static async previous(store: JournalStore, except: string): Promise<RunSummary | undefined> {
    const runs = (await store.runs()).filter((r) => r !== except);
    const last = runs[runs.length - 1];
    return last === undefined ? undefined : summarizeRun(await store.read(last));
  }

  readonly hooks: StepHooks = {
    before: async (step: StepRef) => {
      await this.record({ type: 'before', run: this.run, at: new Date().toISOString(), step: step.id, address: step.address, op: step.op });
    },
    after: async (step, outcome, resourceId) => {
      await this.record({ type: 'after', run: this.run, at: new Date().toISOString(), step: step.id, address: step.address, op: step.op, outcome, ...(resourceId === undefined ? {} : { resourceId }) });
    },
  };

  /** Writes the `end` line, then drops all but the newest {@link JOURNALS_KEPT} journals. */
  async end(): Promise<void> {
    await this.record({ type: 'end', run: this.run, at: new Date().toISOString() });
    const store = this.store;
    if (store === undefined) return;
    const runs = await store.runs();
    for (const old of runs.slice(0, Math.max(0, runs.length - JOURNALS_KEPT))) await store.remove(old);
  }

  snapshot(): readonly JournalEntry[] {
    return [...this.entries];
  }

  private async record(entry: JournalEntry): Promise<void> {
    this.entries.push(entry);
    await this.flush();
  }

  private flush(): Promise<void> {
    const store = this.store;
    if (store === undefined) return Promise.resolve();
    const entries = [...this.entries];
    // Chained so a slow early write never lands after a later, longer one.
    this.writing = this.writing.catch(() => undefined).then(() => store.write(this.run, entries));
    return this.writing;
  }
}
