import { error, hasErrors } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { compareNode } from '../plan/compare.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import type { KindRegistry } from '../plan/kind-registry.ts';
import type { LiveState } from '../plan/live.ts';
import { PLAN_FORMAT_VERSION } from '../plan/types.ts';
import type { Plan } from '../plan/types.ts';
import type { DesiredNode, KindContext, ObservedResource } from '../resources/kind.ts';
import { runDag } from './dag.ts';
import type { ApplyEvent, ApplyResult, StepHooks } from './events.ts';
import { contextOver, messageOf, observeLive } from './observe.ts';
import type { BaseContext } from './observe.ts';
import { isAlreadyExists, isNotFound } from '../resources/errors.ts';
import { buildSteps } from './steps.ts';
import type { Step } from './steps.ts';
import { QuotaQueue } from './quota.ts';
import { isAmbiguous, retryReason } from './retry.ts';
import { waitFor } from './wait.ts';
import type { PollOptions, WaitResult } from './wait.ts';

export interface ApplyOptions {
  /** Mutating steps in flight at once; default 4. */
  readonly concurrency?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly poll?: PollOptions;
  /** Live state from the plan run, to seed `ctx.resolve`; observed afresh when absent. */
  readonly live?: LiveState;
  readonly hooks?: StepHooks;
  /** Queues creates by the kinds' quota class; default: the service's in-progress quotas. */
  readonly quota?: QuotaQueue;
}

/** Creates tried again after an ambiguous failure that left nothing behind (a 5xx before the service acted). */
const AMBIGUOUS_CREATE_ATTEMPTS = 4;

/** A step's failure, carried to the DAG runner as a value. */
class StepFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * Runs a plan as a DAG: independent branches in parallel up to `concurrency`, each create and
 * update followed by a wait until ready, each delete by a wait until gone. Every step re-observes
 * first and adopts what already satisfies it, so a rerun after a crash converges instead of
 * failing on "already exists". A failed step skips only its dependents. A plan with error
 * diagnostics, or of another format version, runs nothing.
 */
export async function applyPlan(plan: Plan, graph: DesiredGraph, kinds: KindRegistry, base: BaseContext, options: ApplyOptions = {}): Promise<ApplyResult> {
  const refusal = refuse(plan);
  if (refusal.length > 0) return { succeeded: [], failed: [], skipped: [], errors: refusal };
  const { steps, diagnostics } = buildSteps(plan, graph, kinds);
  if (diagnostics.length > 0) return { succeeded: [], failed: [], skipped: [], errors: diagnostics };

  const live = options.live ?? (await observeLive(graph, kinds, base));
  const byAddress = new Map<string, ObservedResource | undefined>(live.byAddress);
  // A memo filled while planning would let re-observation see plan-time state: start a new one.
  const ctx = contextOver({ ...base, cache: new Map() }, byAddress);
  const emit = options.onEvent ?? (() => {});
  const errors: Diagnostic[] = [];
  const quota = options.quota ?? new QuotaQueue();

  const run = async (step: Step): Promise<boolean> => {
    const started = Date.now();
    emit({ type: 'start', id: step.id, address: step.address, op: step.op });
    let resourceId: string | undefined;
    try {
      const quotaClass = step.op === 'delete' ? undefined : step.kind.quota;
      const onQueued = (inUse: number, limit: number): void =>
        emit({ type: 'status', id: step.id, address: step.address, op: step.op, status: `QUEUED (${inUse} of ${limit} ${quotaClass ?? ''} in progress)`, readiness: 'pending', elapsedMs: Date.now() - started });
      const result = await quota.run(
        quotaClass,
        async () => {
          await options.hooks?.before(step);
          return runStep(step, ctx, options.poll ?? {}, emit, started);
        },
        onQueued,
      );
      resourceId = result?.id;
      if (step.node !== undefined) byAddress.set(step.address, result);
      await options.hooks?.after(step, 'succeeded', resourceId);
      emit({ type: 'done', id: step.id, address: step.address, op: step.op, elapsedMs: Date.now() - started });
      return true;
    } catch (cause) {
      const diagnostic = cause instanceof StepFailure ? cause.diagnostic : error('apply-step-failed', `${step.address}: ${step.op} failed: ${messageOf(cause)}`, sourceOf(step));
      errors.push(diagnostic);
      await options.hooks?.after(step, 'failed', resourceId).catch(() => undefined);
      emit({ type: 'failed', id: step.id, address: step.address, op: step.op, elapsedMs: Date.now() - started, diagnostic });
      return false;
    }
  };
  const byId = new Map(steps.map((s) => [s.id, s]));
  const outcome = await runDag(
    steps.map((s) => ({ id: s.id, deps: s.deps, run: () => run(s) })),
    options.concurrency ?? 4,
    (id, because) => {
      const s = byId.get(id) as Step;
      emit({ type: 'skipped', id, address: s.address, op: s.op, because });
    },
  );
  return summarizeOutcome(steps, outcome, errors);
}

function refuse(plan: Plan): Diagnostic[] {
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    return [error('plan-format-version', `The plan has format version ${String(plan.formatVersion)}; this tool applies version ${PLAN_FORMAT_VERSION}.`)];
  }
  if (hasErrors(plan.diagnostics)) {
    return [error('plan-has-errors', 'The plan has errors and cannot be applied; fix them and plan again.'), ...plan.diagnostics.filter((d) => d.severity === 'error')];
  }
  return [];
}

/** Runs one step and returns what it left (undefined after a delete). */
async function runStep(step: Step, ctx: KindContext, poll: PollOptions, emit: (e: ApplyEvent) => void, started: number): Promise<ObservedResource | undefined> {
  const onStatus = (observed: ObservedResource): void =>
    emit({ type: 'status', id: step.id, address: step.address, op: step.op, status: observed.status, readiness: observed.readiness, elapsedMs: Date.now() - started });
  const wait = (observed: ObservedResource | undefined, target: 'ready' | 'gone'): Promise<WaitResult> => waitFor(step.kind, ctx, observed, target, poll, onStatus);
  if (step.op === 'delete') {
    await deleteStep(step, ctx, wait);
    return undefined;
  }
  const node = step.node as DesiredNode;
  let current = await step.kind.observe(ctx, node);
  if (current?.readiness === 'deleting') current = expectGone(step, await wait(current, 'gone'));
  if (step.op === 'update' && current !== undefined) return updateStep(step, node, ctx, current, wait);

  if (current !== undefined && isSame(step, node, current)) {
    if (current.readiness === 'failed') fail(step, `it already exists in a failed state (${current.failureReason ?? current.status}); plan again to replace it`);
    emit({ type: 'adopted', id: step.id, address: step.address, op: step.op, resourceId: current.id });
    return converge(step, node, ctx, expectReady(step, await wait(current, 'ready')), wait);
  }
  let created: ObservedResource | undefined;
  for (let attempt = 1; created === undefined; attempt++) {
    try {
      created = await step.kind.create(ctx, node);
    } catch (cause) {
      // A 5xx or a dropped connection may come after the service acted: look before trying again.
      const ambiguous = isAmbiguous(retryReason(cause));
      if (!isAlreadyExists(cause) && !ambiguous) throw cause;
      // A crashed run, a racing one or our own unanswered call made it first: adopt it rather than fail.
      const found = await step.kind.observe(ctx, node);
      if (found !== undefined && isSame(step, node, found)) {
        emit({ type: 'adopted', id: step.id, address: step.address, op: step.op, resourceId: found.id });
        created = found;
      } else if (!ambiguous) {
        fail(step, `${messageOf(cause)}, and the existing resource does not match poc.yaml`);
      } else if (attempt >= AMBIGUOUS_CREATE_ATTEMPTS) {
        throw cause;
      }
    }
  }
  return expectReady(step, await wait(created, 'ready'));
}

/**
 * Whether a live resource already is the one this step would create: same name, nothing that
 * would force a new one, and not the very resource a create-alongside change supersedes.
 */
function isSame(step: Step, node: DesiredNode, current: ObservedResource): boolean {
  if (current.name !== node.name) return false;
  if (step.change.actions.length === 1 && step.change.id === current.id) return false;
  return !compareNode(step.kind, node, current, {}).fields.some((f) => f.semantics !== 'in-place');
}

/** An adopted resource may still differ in place (a crash between create and update). */
async function converge(step: Step, node: DesiredNode, ctx: KindContext, current: ObservedResource, wait: (o: ObservedResource | undefined, t: 'ready' | 'gone') => Promise<WaitResult>): Promise<ObservedResource> {
  const fields = inPlaceFields(step, node, ctx, current);
  if (fields.length === 0) return current;
  return updateStep(step, node, ctx, current, wait);
}

async function updateStep(step: Step, node: DesiredNode, ctx: KindContext, observed: ObservedResource, wait: (o: ObservedResource | undefined, t: 'ready' | 'gone') => Promise<WaitResult>): Promise<ObservedResource> {
  // The service refuses updates while a resource is still being created or updated.
  const current = observed.readiness === 'pending' ? expectReady(step, await wait(observed, 'ready')) : observed;
  const fields = inPlaceFields(step, node, ctx, current);
  if (fields.length === 0) return current;
  if (step.kind.update === undefined) fail(step, `the ${step.kind.kind} kind cannot update ${fields.join(', ')} in place`);
  const updated = await step.kind.update(ctx, node, current, fields);
  return expectReady(step, await wait(updated, 'ready'));
}

function inPlaceFields(step: Step, node: DesiredNode, ctx: KindContext, current: ObservedResource): string[] {
  const cmp = compareNode(step.kind, node, current, ctx.ownerTags);
  return [...cmp.fields.filter((f) => f.semantics === 'in-place').map((f) => f.field), ...(cmp.tags === undefined ? [] : ['tags'])];
}

async function deleteStep(step: Step, ctx: KindContext, wait: (o: ObservedResource | undefined, t: 'ready' | 'gone') => Promise<WaitResult>): Promise<void> {
  let current = step.node !== undefined ? await step.kind.observe(ctx, step.node) : await step.kind.refresh(ctx, stubOf(step));
  if (current === undefined) return;
  if (current.readiness === 'pending') {
    // Deletable only once settled (ACTIVE or CREATE FAILED); a failed wait still allows delete.
    const settled = await wait(current, 'ready');
    current = settled.outcome === 'ready' || settled.outcome === 'failed' ? settled.observed : current;
    if (current === undefined) return;
  }
  if (current.readiness !== 'deleting') {
    try {
      await step.kind.delete(ctx, current);
    } catch (cause) {
      if (!isNotFound(cause)) throw cause;
      return;
    }
  }
  expectGone(step, await wait(current, 'gone'));
}

/** What a prune delete knows of its resource: enough for `refresh`, which reads by id. */
function stubOf(step: Step): ObservedResource {
  const c = step.change;
  return { address: c.address, kind: c.kind, name: c.name, id: c.id ?? c.name, status: 'UNKNOWN', readiness: 'ready', properties: {}, tags: {} };
}

function expectReady(step: Step, result: WaitResult): ObservedResource {
  if (result.outcome === 'ready') return result.observed;
  if (result.outcome === 'failed') fail(step, result.reason);
  if (result.outcome === 'timeout') fail(step, `still ${result.observed?.status ?? 'not ready'} after ${Math.round(result.elapsedMs / 1000)} s; run apply again to keep waiting`);
  return fail(step, 'it vanished while waiting');
}

function expectGone(step: Step, result: WaitResult): undefined {
  if (result.outcome === 'gone') return undefined;
  if (result.outcome === 'failed') fail(step, `delete failed: ${result.reason}`);
  if (result.outcome === 'timeout') fail(step, `still ${result.observed?.status ?? 'present'} after ${Math.round(result.elapsedMs / 1000)} s; run apply again to keep waiting`);
  return fail(step, 'it did not go away');
}

function fail(step: Step, why: string): never {
  throw new StepFailure(error('apply-step-failed', `${step.address}: ${step.op} failed: ${why}`, sourceOf(step)));
}

function sourceOf(step: Step): { file?: string; line?: number; column?: number; path?: string } {
  return step.node?.source ?? {};
}

function summarizeOutcome(steps: readonly Step[], outcome: ReadonlyMap<string, string>, errors: readonly Diagnostic[]): ApplyResult {
  const state = new Map<string, 'succeeded' | 'failed' | 'skipped'>();
  for (const s of steps) {
    const o = outcome.get(s.id) ?? 'skipped';
    const prev = state.get(s.address);
    if (prev === 'failed' || o === 'failed') state.set(s.address, 'failed');
    else if (prev === 'skipped' || o === 'skipped') state.set(s.address, 'skipped');
    else state.set(s.address, 'succeeded');
  }
  const pick = (w: string): string[] => [...state].filter(([, v]) => v === w).map(([a]) => a).sort();
  return { succeeded: pick('succeeded'), failed: pick('failed'), skipped: pick('skipped'), errors };
}
