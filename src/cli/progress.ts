import type { ApplyEvent, StepOp } from '../apply/events.ts';
import { formatApplyEvent } from '../render/apply-text.ts';
import type { IoHost } from './io.ts';

/**
 * How apply shows progress: `live` redraws one line per resource in flight on a terminal;
 * `lines` (CI logs) prints each event once and a waiting line every few seconds; `json` writes
 * one JSON object per event on stdout for machines.
 */
export type ProgressMode = 'live' | 'lines' | 'json';

export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly io: IoHost;
  /** How often `lines` prints what is still waiting, and `live` refreshes elapsed times. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export interface Progress {
  readonly onEvent: (event: ApplyEvent) => void;
  /** Prints what is in flight now; the timer calls it, tests may too. */
  tick(): void;
  stop(): void;
}

interface InFlight {
  readonly address: string;
  readonly op: StepOp;
  readonly startedAt: number;
  status: string;
}

const DOING: Readonly<Record<StepOp, string>> = { create: 'creating', update: 'updating', delete: 'deleting' };

/** The interval of waiting lines in CI logs: `POC_PROGRESS_INTERVAL_MS`, default 10 s. */
export function progressInterval(env: IoHost['env'], mode: ProgressMode): number {
  const raw = Number(env['POC_PROGRESS_INTERVAL_MS']);
  if (Number.isFinite(raw) && raw > 0) return raw;
  return mode === 'live' ? 1_000 : 10_000;
}

export function createProgress(options: ProgressOptions): Progress {
  const { io, mode } = options;
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, InFlight>();
  let drawn = 0;
  const seconds = (ms: number): string => `${Math.max(0, Math.round(ms / 1000))}s`;
  const waitingLine = (s: InFlight): string => `${s.address}: ${DOING[s.op]}... ${s.status} (${seconds(now() - s.startedAt)})`;

  const redraw = (): void => {
    const lines = [...inFlight.values()].map(waitingLine);
    // Move up over the block drawn last time and clear it, so the block updates in place.
    const clear = drawn > 0 ? `\u001b[${drawn}A\u001b[0J` : '';
    if (lines.length > 0 || clear !== '') io.err(`${clear}${lines.join('\n')}`);
    drawn = lines.length === 0 ? (clear === '' ? 0 : 1) : lines.length;
  };

  const settle = (line: string): void => {
    if (mode !== 'live') {
      io.err(line);
      return;
    }
    const clear = drawn > 0 ? `\u001b[${drawn}A\u001b[0J` : '';
    drawn = 0;
    io.err(`${clear}${line}`);
    redraw();
  };

  const onEvent = (event: ApplyEvent): void => {
    if (mode === 'json') {
      io.out(JSON.stringify({ event: event.type, time: new Date(now()).toISOString(), ...withoutType(event) }));
      return;
    }
    switch (event.type) {
      case 'start':
        inFlight.set(event.id, { address: event.address, op: event.op, startedAt: now(), status: 'starting' });
        settle(formatApplyEvent(event));
        return;
      case 'status': {
        const step = inFlight.get(event.id);
        if (step === undefined || step.status === event.status) return;
        step.status = event.status;
        if (mode === 'live') redraw();
        else io.err(formatApplyEvent(event));
        return;
      }
      case 'adopted':
        settle(formatApplyEvent(event));
        return;
      case 'done':
      case 'failed':
      case 'skipped':
        inFlight.delete(event.id);
        settle(formatApplyEvent(event));
        return;
    }
  };

  const tick = (): void => {
    if (mode === 'json' || inFlight.size === 0) return;
    if (mode === 'live') redraw();
    else io.err(`waiting on ${inFlight.size}: ${[...inFlight.values()].map(waitingLine).join('; ')}`);
  };

  const timer = mode === 'json' ? undefined : setInterval(tick, options.intervalMs ?? progressInterval(io.env, mode));
  timer?.unref();
  return { onEvent, tick, stop: () => clearInterval(timer) };
}

function withoutType(event: ApplyEvent): Omit<ApplyEvent, 'type'> {
  const { type: _type, ...rest } = event;
  return rest;
}
