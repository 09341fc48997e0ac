import type { Diagnostic } from '../diagnostics/index.ts';
import type { Readiness } from '../resources/kind.ts';

/** What a step does to one resource; a replacement is a `delete` step then a `create` step. */
export type StepOp = 'create' | 'update' | 'delete';

/** Identifies a step to listeners, hooks and results. `id` is `<address>#<op>`. */
export interface StepRef {
  readonly id: string;
  readonly address: string;
  readonly op: StepOp;
}

/**
 * Progress of an apply, for a progress line per resource in flight. Every step emits `start`
 * then exactly one of `done` / `failed`, with `status` (and at most one `adopted`) between;
 * a step that never starts emits only `skipped`, naming the failed step it depends on.
 */
export type ApplyEvent =
  | (StepRef & { readonly type: 'start' })
  | (StepRef & { readonly type: 'status'; readonly status: string; readonly readiness: Readiness; readonly elapsedMs: number })
  | (StepRef & { readonly type: 'adopted'; readonly resourceId: string })
  | (StepRef & { readonly type: 'done'; readonly elapsedMs: number })
  | (StepRef & { readonly type: 'failed'; readonly elapsedMs: number; readonly diagnostic: Diagnostic })
  | (StepRef & { readonly type: 'skipped'; readonly because: string });


/**
 * The seam where later issues add a journal and a lock: called around every mutating step.
 * `before` throwing fails the step before any call is made (a lost lock, say); `after` learns
 * how the step ended and what it left (undefined after a delete).
 */
export interface StepHooks {
  before(step: StepRef): Promise<void>;
  after(step: StepRef, outcome: 'succeeded' | 'failed', resourceId: string | undefined): Promise<void>;
}

/**
 * How an apply ended, by address. Invariants: the three lists are disjoint and sorted; an address
 * is `failed` if any of its steps failed, `skipped` if none failed but one did not run, else
 * `succeeded`; `errors` has one diagnostic per failed step (or the reason nothing ran).
 */
export interface ApplyResult {
  readonly succeeded: readonly string[];
  readonly failed: readonly string[];
  readonly skipped: readonly string[];
  readonly errors: readonly Diagnostic[];
}
