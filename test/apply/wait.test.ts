import { describe, expect, it } from 'vitest';
import { runDag } from '../../src/apply/dag.ts';
import { waitFor } from '../../src/apply/wait.ts';
import type { ObservedResource, ResourceKind } from '../../src/resources/kind.ts';
import { fakeContext } from './fake-cloud.ts';

function observed(status: string, readiness: ObservedResource['readiness'], failureReason?: string): ObservedResource {
  return { address: 'x', kind: 'dataset', name: 'x', id: 'arn:x', status, readiness, properties: {}, tags: {}, ...(failureReason === undefined ? {} : { failureReason }) };
}

/** A kind whose refresh walks through the given states; a virtual clock advanced by sleep. */
function scripted(states: (ObservedResource | undefined)[]) {
  let clock = 0;
  const sleeps: number[] = [];
  const kind = { refresh: async () => states.shift() } as unknown as ResourceKind; // only refresh is called
  const poll = { initialMs: 1000, maxMs: 5000, factor: 2, timeoutMs: 60_000, now: () => clock, sleep: async (ms: number) => void (sleeps.push(ms), (clock += ms)) };
  const ctx = { ...fakeContext(), resolve: () => undefined };
  return { kind, poll, ctx, sleeps };
}

describe('waitFor', () => {
  it('backs off exponentially up to the maximum and reports each status change', async () => {
    const pending = observed('CREATE IN_PROGRESS', 'pending');
    const s = scripted([pending, pending, pending, pending, pending, observed('ACTIVE', 'ready')]);
    const seen: string[] = [];
    const result = await waitFor(s.kind, s.ctx, observed('CREATE PENDING', 'pending'), 'ready', s.poll, (o, ms) => seen.push(`${o.status}@${ms}`));
    expect(result.outcome).toBe('ready');
    expect(s.sleeps).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect(seen).toEqual(['CREATE PENDING@0', 'CREATE IN_PROGRESS@1000', 'ACTIVE@22000']);
  });

  it("ends with the service's failure reason", async () => {
    const s = scripted([observed('CREATE FAILED', 'failed', 'Dataset has fewer than 25 users.')]);
    expect(await waitFor(s.kind, s.ctx, observed('CREATE PENDING', 'pending'), 'ready', s.poll)).toMatchObject({ outcome: 'failed', reason: 'Dataset has fewer than 25 users.' });
  });

  it('times out, and waits for a failed resource being deleted to go', async () => {
    const s = scripted(Array.from({ length: 100 }, () => observed('CREATE IN_PROGRESS', 'pending')));
    const result = await waitFor(s.kind, s.ctx, observed('CREATE PENDING', 'pending'), 'ready', { ...s.poll, timeoutMs: 10_000 });
    expect(result).toMatchObject({ outcome: 'timeout', elapsedMs: 10_000 });
    const d = scripted([observed('DELETE PENDING', 'deleting'), undefined]);
    expect(await waitFor(d.kind, d.ctx, observed('CREATE FAILED', 'failed'), 'gone', d.poll)).toEqual({ outcome: 'gone' });
  });
});

describe('runDag', () => {
  it('skips transitive dependents of a failure, blaming the failed task, and runs the rest', async () => {
    const ran: string[] = [];
    const task = (id: string, deps: string[], ok = true) => ({ id, deps, run: async () => (ran.push(id), ok) });
    const skipped: string[] = [];
    const outcome = await runDag([task('a', [], false), task('b', ['a']), task('c', ['b']), task('d', [])], 2, (id, because) => skipped.push(`${id}<-${because}`));
    expect(Object.fromEntries(outcome)).toEqual({ a: 'failed', b: 'skipped', c: 'skipped', d: 'succeeded' });
    expect(skipped.sort()).toEqual(['b<-a', 'c<-a']);
    expect(ran.sort()).toEqual(['a', 'd']);
  });

  it('treats a throwing task as failed', async () => {
    const outcome = await runDag([{ id: 'a', deps: [], run: async () => Promise.reject(new Error('boom')) }], 1);
    expect(outcome.get('a')).toBe('failed');
  });
});
