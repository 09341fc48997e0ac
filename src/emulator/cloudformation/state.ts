import { join } from 'node:path';
import type { EmulatorContext } from '../context.ts';
import { readJson, writeJsonAtomic } from '../persist.ts';
import { cfnError, noSuchStack, type CfnError } from './errors.ts';
import { deleteStackResources, executePlan, setStackStatus } from './execute.ts';
import { planStack } from './plan.ts';
import { parseTemplate } from './template.ts';
import type { ChangeSetRecord, StackRecord } from './types.ts';

interface PersistedState {
  readonly stacks: StackRecord[];
  readonly changeSets: ChangeSetRecord[];
}

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

/**
 * All stacks and change sets, persisted to one state file after every change. Lifecycle steps
 * (computing a change set, executing it, deleting a stack) are recorded with the time they are
 * due and applied by {@link advance}, which runs before every request and from a timer; so a
 * restart picks up exactly where the previous process stopped.
 */
export class CloudFormationState {
  private readonly path: string;
  private readonly stacks: StackRecord[];
  private changeSets: ChangeSetRecord[];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: EmulatorContext) {
    this.path = join(ctx.stateDir, 'cloudformation', 'state.json');
    const state = readJson<PersistedState>(this.path, { stacks: [], changeSets: [] });
    this.stacks = state.stacks;
    this.changeSets = state.changeSets;
    this.schedule();
  }

  save(): void {
    writeJsonAtomic(this.path, { stacks: this.stacks, changeSets: this.changeSets } satisfies PersistedState);
    this.schedule();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  allStacks(): readonly StackRecord[] {
    return this.stacks;
  }

  addStack(stack: StackRecord): void {
    this.stacks.push(stack);
  }

  /** By ARN (any stack, deleted ones included) or by name (the live stack with that name). */
  findStack(nameOrId: string): StackRecord | undefined {
    if (nameOrId.startsWith('arn:')) return this.stacks.find((s) => s.stackId === nameOrId);
    return this.stacks.find((s) => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE');
  }

  requireStack(nameOrId: string | undefined): StackRecord | CfnError {
    if (!nameOrId) return cfnError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
    return this.findStack(nameOrId) ?? noSuchStack(nameOrId);
  }

  changeSetsOf(stackId: string): ChangeSetRecord[] {
    return this.changeSets.filter((cs) => cs.stackId === stackId);
  }

  addChangeSet(cs: ChangeSetRecord): void {
    this.changeSets.push(cs);
  }

  removeChangeSets(predicate: (cs: ChangeSetRecord) => boolean): void {
    this.changeSets = this.changeSets.filter((cs) => !predicate(cs));
  }

  /** By ARN, or by name within the stack named by `stackName`. */
  findChangeSet(nameOrId: string | undefined, stackName: string | undefined): ChangeSetRecord | CfnError {
    if (!nameOrId) return cfnError('ValidationError', 'ChangeSetName must be specified');
    const notFound = cfnError('ChangeSetNotFound', `ChangeSet [${nameOrId}] does not exist`);
    if (nameOrId.startsWith('arn:')) return this.changeSets.find((cs) => cs.changeSetId === nameOrId) ?? notFound;
    if (!stackName) return cfnError('ValidationError', 'StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = this.findStack(stackName);
    if (!stack) return notFound;
    return this.changeSets.find((cs) => cs.stackId === stack.stackId && cs.changeSetName === nameOrId) ?? notFound;
  }

  /** Applies every lifecycle step that is due. */
  advance(): void {
    const now = this.ctx.now();
    let changed = false;
    for (const cs of this.changeSets) {
      if (cs.status === 'CREATE_PENDING' && cs.readyAt <= now) {
        this.computeChangeSet(cs);
        changed = true;
      }
    }
    for (const stack of this.stacks) {
      const pending = stack.pending;
      if (!pending || pending.at > now) continue;
      delete stack.pending;
      changed = true;
      if (pending.kind === 'delete') {
        deleteStackResources(stack, new Set(pending.retain ?? []), this.ctx.objects, now);
        if (stack.status === 'DELETE_COMPLETE') this.removeChangeSets((cs) => cs.stackId === stack.stackId);
        continue;
      }
      const cs = this.changeSets.find((c) => c.changeSetId === pending.changeSetId);
      if (!cs?.plan) {
        setStackStatus(stack, now, cs?.type === 'CREATE' ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE', 'The change set being executed no longer exists');
        continue;
      }
      const outcome = executePlan(stack, cs.plan, cs.type, this.ctx.objects, now);
      cs.executionStatus = outcome === 'succeeded' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
      if (outcome === 'succeeded') {
        stack.templateBody = cs.templateBody;
        stack.parameters = cs.parameters;
        stack.noEcho = cs.noEcho;
        stack.tags = cs.tags;
        stack.capabilities = cs.capabilities;
        if (cs.description !== undefined) stack.description = cs.description;
      }
    }
    if (changed) this.save();
  }

  private computeChangeSet(cs: ChangeSetRecord): void {
    const stack = this.stacks.find((s) => s.stackId === cs.stackId);
    const template = parseTemplate(cs.templateBody);
    const fail = (reason: string): void => {
      cs.status = 'FAILED';
      cs.statusReason = reason;
      cs.executionStatus = 'UNAVAILABLE';
    };
    if (!stack) return fail('The stack no longer exists');
    if (typeof template === 'string') return fail(template);
    const plan = planStack({
      template,
      parameters: Object.fromEntries(cs.parameters.map((p) => [p.key, p.value])),
      where: { accountId: this.ctx.accountId, region: this.ctx.region, stackName: cs.stackName },
      stackId: cs.stackId,
      previous: cs.type === 'UPDATE' ? stack.resources : [],
    });
    if (typeof plan === 'string') return fail(plan);
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    if (cs.type === 'UPDATE' && plan.changes.length === 0 && same(plan.outputs, stack.outputs) && same(cs.parameters, stack.parameters) && same(cs.tags, stack.tags)) {
      return fail(NO_CHANGES);
    }
    cs.plan = plan;
    cs.status = 'CREATE_COMPLETE';
    cs.executionStatus = 'AVAILABLE';
  }

  /** One unref'd timer for the earliest due step, so phases progress without polling. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = [
      ...this.changeSets.filter((cs) => cs.status === 'CREATE_PENDING').map((cs) => cs.readyAt),
      ...this.stacks.flatMap((s) => (s.pending ? [s.pending.at] : [])),
    ];
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - this.ctx.now());
    this.timer = setTimeout(() => {
      try {
        this.advance();
      } catch {
        // A failing step (a disk error, say) is retried by the next request's advance().
      }
    }, wait);
    this.timer.unref();
  }

  stackPhaseEnd(): number {
    return this.ctx.now() + this.ctx.durations.stack;
  }
}
