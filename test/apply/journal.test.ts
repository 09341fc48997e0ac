import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardApply, type SignalSource } from '../../src/apply/guard.ts';
import { Journal, parseJournal, s3JournalStore, summarizeRun, type RunSummary } from '../../src/apply/journal.ts';
import { startHarness, type Harness } from '../resources/harness.ts';

const BUCKET = 'journal-tests';
let h: Harness;
const quiet: SignalSource = { on: () => undefined, off: () => undefined };
const step = (address: string, op: 'create' | 'update' | 'delete' = 'create') => ({ id: `${address}#${op}`, address, op });

beforeAll(async () => {
  h = await startHarness();
  await h.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await h.close();
});

describe('the apply journal', () => {
  it('a run killed mid-way shows what was done and what was in flight', async () => {
    const store = s3JournalStore(h.clients.s3, BUCKET, 'killed');
    const journal = new Journal('run-1', 'poc apply');
    await journal.attach(store);
    await journal.hooks.before(step('datasetGroup.a'));
    await journal.hooks.after(step('datasetGroup.a'), 'succeeded', 'arn:dsg/a');
    await journal.hooks.before(step('datasetGroup.a.dataset.interactions.import'));
    await journal.hooks.before(step('schema.x'));
    await journal.hooks.after(step('schema.x'), 'failed', undefined);
    // No `after` for the import and no `end`: the process died here.
    const summary = summarizeRun(await store.read('run-1'));
    expect(summary).toMatchObject({
      run: 'run-1',
      finished: false,
      succeeded: [{ step: 'datasetGroup.a#create', resourceId: 'arn:dsg/a' }],
      failed: ['schema.x#create'],
      inFlight: ['datasetGroup.a.dataset.interactions.import#create'],
    });
  });

  it('keeps entries from before it had a store and writes every entry even when steps record at once', async () => {
    const store = s3JournalStore(h.clients.s3, BUCKET, 'burst');
    const journal = new Journal('run-2', 'poc apply', 'digest-1');
    await journal.hooks.before(step('environment'));
    await journal.hooks.after(step('environment'), 'succeeded', 'stack');
    await journal.attach(store);
    const names = Array.from({ length: 20 }, (_, i) => `upload.f${i}`);
    await Promise.all(names.map((n) => journal.hooks.before(step(n)).then(() => journal.hooks.after(step(n), 'succeeded', n))));
    await journal.end();
    const entries = await store.read('run-2');
    expect(entries[0]).toMatchObject({ type: 'run', planDigest: 'digest-1' });
    const summary = summarizeRun(entries);
    expect(summary?.finished).toBe(true);
    expect(summary?.succeeded).toHaveLength(21);
    expect(summary?.inFlight).toEqual([]);
  });

  it('skips garbage lines instead of failing a resume', () => {
    const entries = parseJournal('{"type":"run","run":"r","at":"t","command":"c"}\nnot json\n{"type":"before","run":"r","at":"t","step":"s#create","address":"s","op":"create"}\n{"trunc');
    expect(entries.map((e) => e.type)).toEqual(['run', 'before']);
    expect(summarizeRun(entries)?.inFlight).toEqual(['s#create']);
  });

  it('a rerun is told what the unfinished run left, and not told after a finished one', async () => {
    const store = s3JournalStore(h.clients.s3, BUCKET, 'resume');
    const dead = new Journal('2020-01-01-dead', 'poc apply');
    await dead.attach(store);
    await dead.hooks.before(step('datasetGroup.a.solution.s.version'));
    const told: RunSummary[] = [];
    const options = { s3: h.clients.s3, pocName: 'resume', command: 'poc apply', findBucket: async () => BUCKET, signals: quiet, onResume: (p: RunSummary) => told.push(p) };
    await guardApply(options, async () => undefined);
    expect(told).toHaveLength(1);
    expect(told[0]?.inFlight).toEqual(['datasetGroup.a.solution.s.version#create']);
    await guardApply(options, async () => undefined);
    expect(told).toHaveLength(1);
  });
});
