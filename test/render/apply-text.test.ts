import { describe, expect, it } from 'vitest';
import { formatApplyEvent, renderApplyResult } from '../../src/render/apply-text.ts';

describe('apply text', () => {
  it('gives one progress line per event', () => {
    const ref = { id: 'datasetGroup.g0#create', address: 'datasetGroup.g0', op: 'create' as const };
    expect(formatApplyEvent({ ...ref, type: 'start' })).toBe('datasetGroup.g0: creating...');
    expect(formatApplyEvent({ ...ref, type: 'status', status: 'CREATE IN_PROGRESS', readiness: 'pending', elapsedMs: 12_400 })).toBe('datasetGroup.g0: creating... CREATE IN_PROGRESS (12s)');
    expect(formatApplyEvent({ ...ref, type: 'done', elapsedMs: 61_000 })).toBe('datasetGroup.g0: created (61s)');
    expect(formatApplyEvent({ id: 'dataset.g0#create', address: 'dataset.g0', op: 'create', type: 'skipped', because: 'datasetGroup.g0#create' })).toBe('dataset.g0: create skipped because datasetGroup.g0 failed');
  });

  it('summarises the result', () => {
    expect(renderApplyResult({ succeeded: ['a', 'b'], failed: [], skipped: [], errors: [] })).toBe('Apply complete: 2 succeeded, 0 failed, 0 skipped.\n');
    const text = renderApplyResult({ succeeded: ['a'], failed: ['b'], skipped: ['c'], errors: [{ code: 'apply-step-failed', severity: 'error', message: 'b: create failed: boom' }] });
    expect(text.split('\n')).toEqual([
      'Apply incomplete: 1 succeeded, 1 failed, 1 skipped.',
      'error [apply-step-failed] b: create failed: boom',
      'Skipped because something they depend on failed: c.',
      'Fix the cause and run apply again: finished steps are observed and kept, not redone.',
      '',
    ]);
  });
});
