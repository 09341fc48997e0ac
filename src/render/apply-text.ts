import { formatDiagnostic } from '../diagnostics/index.ts';
import type { ApplyEvent, ApplyResult, StepOp } from '../apply/events.ts';

const DOING: Readonly<Record<StepOp, string>> = { create: 'creating', update: 'updating', delete: 'deleting' };
const DONE: Readonly<Record<StepOp, string>> = { create: 'created', update: 'updated', delete: 'deleted' };

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/** One progress line per event, for a log or a progress display keyed by `event.address`. */
export function formatApplyEvent(event: ApplyEvent): string {
  switch (event.type) {
    case 'start':
      return `${event.address}: ${DOING[event.op]}...`;
    case 'status':
      return `${event.address}: ${DOING[event.op]}... ${event.status} (${seconds(event.elapsedMs)})`;
    case 'adopted':
      return `${event.address}: already exists (${event.resourceId}); adopting it`;
    case 'done':
      return `${event.address}: ${DONE[event.op]} (${seconds(event.elapsedMs)})`;
    case 'failed':
      return `${event.address}: ${event.op} failed after ${seconds(event.elapsedMs)}: ${event.diagnostic.message}`;
    case 'skipped':
      return `${event.address}: ${event.op} skipped because ${event.because.replace(/#.*$/, '')} failed`;
  }
}

/** `Apply complete: 4 succeeded, 1 failed, 1 skipped.` and every error. */
export function renderApplyResult(result: ApplyResult): string {
  const ok = result.failed.length === 0 && result.skipped.length === 0 && result.errors.length === 0;
  const lines = [`Apply ${ok ? 'complete' : 'incomplete'}: ${result.succeeded.length} succeeded, ${result.failed.length} failed, ${result.skipped.length} skipped.`];
  for (const d of result.errors) lines.push(formatDiagnostic(d));
  if (result.skipped.length > 0) lines.push(`Skipped because something they depend on failed: ${result.skipped.join(', ')}.`);
  if (!ok) lines.push('Fix the cause and run apply again: finished steps are observed and kept, not redone.');
  return `${lines.join('\n')}\n`;
}
