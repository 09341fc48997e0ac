import { describe, expect, it } from 'vitest';
import type { IoHost } from '../../src/cli/io.ts';
import { createProgress } from '../../src/cli/progress.ts';

function captureIo(): { io: IoHost; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, color: false, confirm: async () => false, env: {}, cwd: '/' } };
}

const ref = (address: string) => ({ id: `${address}#create`, address, op: 'create' as const });

describe('apply progress', () => {
  it('in a CI log: each event once, and a waiting line with status and elapsed time on every tick', () => {
    let now = 0;
    const { io, err } = captureIo();
    const progress = createProgress({ mode: 'lines', io, intervalMs: 60_000, now: () => now });
    progress.onEvent({ type: 'start', ...ref('solution.up') });
    progress.onEvent({ type: 'start', ...ref('campaign.main') });
    now = 12_000;
    progress.onEvent({ type: 'status', ...ref('solution.up'), status: 'CREATE IN_PROGRESS', readiness: 'pending', elapsedMs: 12_000 });
    progress.onEvent({ type: 'status', ...ref('solution.up'), status: 'CREATE IN_PROGRESS', readiness: 'pending', elapsedMs: 12_500 });
    now = 35_000;
    progress.tick();
    progress.onEvent({ type: 'done', ...ref('campaign.main'), elapsedMs: 35_000 });
    now = 45_000;
    progress.tick();
    progress.stop();
    expect(err).toEqual([
      'solution.up: creating...',
      'campaign.main: creating...',
      'solution.up: creating... CREATE IN_PROGRESS (12s)',
      'waiting on 2: solution.up: creating... CREATE IN_PROGRESS (35s); campaign.main: creating... starting (35s)',
      'campaign.main: created (35s)',
      'waiting on 1: solution.up: creating... CREATE IN_PROGRESS (45s)',
    ]);
  });

  it('on a terminal: redraws the block of resources in flight in place', () => {
    let now = 0;
    const { io, err } = captureIo();
    const progress = createProgress({ mode: 'live', io: { ...io, interactive: true }, intervalMs: 60_000, now: () => now });
    progress.onEvent({ type: 'start', ...ref('a') });
    progress.onEvent({ type: 'start', ...ref('b') });
    now = 3_000;
    progress.tick();
    progress.stop();
    const last = err.at(-1) ?? '';
    expect(last.startsWith('\u001b[2A\u001b[0J')).toBe(true);
    expect(last.split('\n')).toEqual(['\u001b[2A\u001b[0Ja: creating... starting (3s)', 'b: creating... starting (3s)']);
  });

  it('with --json: one JSON object per event on stdout, nothing on stderr', () => {
    const { io, out, err } = captureIo();
    const progress = createProgress({ mode: 'json', io, now: () => Date.UTC(2025, 0, 2) });
    progress.onEvent({ type: 'start', ...ref('a') });
    progress.onEvent({ type: 'failed', ...ref('a'), elapsedMs: 5, diagnostic: { code: 'x', severity: 'error', message: 'boom' } });
    progress.stop();
    expect(err).toEqual([]);
    expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { event: 'start', time: '2025-01-02T00:00:00.000Z', id: 'a#create', address: 'a', op: 'create' },
      { event: 'failed', time: '2025-01-02T00:00:00.000Z', id: 'a#create', address: 'a', op: 'create', elapsedMs: 5, diagnostic: { code: 'x', severity: 'error', message: 'boom' } },
    ]);
  });
});
