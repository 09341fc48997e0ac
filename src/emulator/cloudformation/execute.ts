import { randomUUID } from 'node:crypto';
import type { ObjectReader } from '../context.ts';
import { RESOURCE_TYPES } from './resource-types.ts';
import type { ChangeSetType, DeployedResource, ResourceStatus, StackPlan, StackRecord, StackStatus } from './types.ts';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

function event(stack: StackRecord, now: number, resource: Pick<DeployedResource, 'logicalId' | 'physicalId' | 'type'>, status: ResourceStatus | StackStatus, reason?: string): void {
  stack.events.push({
    eventId: randomUUID(),
    logicalId: resource.logicalId,
    physicalId: resource.physicalId,
    type: resource.type,
    timestamp: now,
    status,
    ...(reason !== undefined ? { reason } : {}),
  });
}

/** Moves the stack to `status`, with the stack-level event CloudFormation records for it. */
export function setStackStatus(stack: StackRecord, now: number, status: StackStatus, reason?: string): void {
  stack.status = status;
  if (reason === undefined) delete stack.statusReason;
  else stack.statusReason = reason;
  event(stack, now, { logicalId: stack.stackName, physicalId: stack.stackId, type: STACK_TYPE }, status, reason);
}

function removeResource(stack: StackRecord, now: number, resource: DeployedResource, objects: ObjectReader): string | undefined {
  if (resource.deletionPolicy === 'Retain') {
    event(stack, now, resource, 'DELETE_SKIPPED');
    return undefined;
  }
  event(stack, now, resource, 'DELETE_IN_PROGRESS');
  const reason = RESOURCE_TYPES.get(resource.type)?.remove(resource, objects);
  event(stack, now, resource, reason ? 'DELETE_FAILED' : 'DELETE_COMPLETE', reason);
  return reason;
}

/**
 * Applies a planned change set to the stack (already in CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS):
 * creates and updates in plan order, then removes replaced and dropped resources in reverse
 * order. A failed creation rolls back what this execution created.
 */
export function executePlan(stack: StackRecord, plan: StackPlan, type: ChangeSetType, objects: ObjectReader, now: number): 'succeeded' | 'failed' {
  const before = new Map(stack.resources.map((r) => [r.logicalId, r]));
  const changes = new Map(plan.changes.map((c) => [c.logicalId, c]));
  const created: DeployedResource[] = [];
  const obsolete: DeployedResource[] = [];
  for (const resource of plan.resources) {
    const change = changes.get(resource.logicalId);
    const old = before.get(resource.logicalId);
    if (change?.action === 'Modify' && change.replacement === 'False') {
      event(stack, now, resource, 'UPDATE_IN_PROGRESS');
      event(stack, now, resource, 'UPDATE_COMPLETE');
      continue;
    }
    if (change === undefined) continue;
    event(stack, now, { ...resource, physicalId: '' }, 'CREATE_IN_PROGRESS', old ? 'Requested update requires the creation of a new physical resource; hence creating one.' : undefined);
    const reason = RESOURCE_TYPES.get(resource.type)?.create(resource, objects);
    if (reason) {
      event(stack, now, resource, 'CREATE_FAILED', reason);
      rollBack(stack, type, created, objects, now, `The following resource(s) failed to create: [${resource.logicalId}]. `);
      return 'failed';
    }
    event(stack, now, resource, 'CREATE_COMPLETE');
    created.push(resource);
    if (old) obsolete.push(old);
  }
  const kept = new Set(plan.resources.map((r) => r.logicalId));
  for (const old of stack.resources) if (!kept.has(old.logicalId)) obsolete.push(old);
  if (type === 'UPDATE') setStackStatus(stack, now, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  // Cleanup failures leave the resource behind but do not fail the update, as in CloudFormation.
  for (const old of obsolete.reverse()) removeResource(stack, now, old, objects);
  stack.resources = [...plan.resources];
  stack.outputs = plan.outputs;
  setStackStatus(stack, now, type === 'CREATE' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE');
  return 'succeeded';
}

function rollBack(stack: StackRecord, type: ChangeSetType, created: readonly DeployedResource[], objects: ObjectReader, now: number, reason: string): void {
  setStackStatus(stack, now, type === 'CREATE' ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  for (const resource of [...created].reverse()) removeResource(stack, now, { ...resource, deletionPolicy: 'Delete' }, objects);
  if (type === 'CREATE') stack.resources = [];
  setStackStatus(stack, now, type === 'CREATE' ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE', type === 'CREATE' ? reason : undefined);
}

/**
 * Deletes the stack's resources in reverse creation order. Resources named in `retain` or with
 * DeletionPolicy Retain are left in place; one that fails (a non-empty bucket) keeps the stack
 * in DELETE_FAILED, naming it.
 */
export function deleteStackResources(stack: StackRecord, retain: ReadonlySet<string>, objects: ObjectReader, now: number): void {
  const remaining: DeployedResource[] = [];
  for (const resource of [...stack.resources].reverse()) {
    const policy = retain.has(resource.logicalId) ? 'Retain' : resource.deletionPolicy;
    if (removeResource(stack, now, { ...resource, deletionPolicy: policy }, objects)) remaining.unshift(resource);
  }
  stack.resources = remaining;
  if (remaining.length > 0) {
    setStackStatus(stack, now, 'DELETE_FAILED', `The following resource(s) failed to delete: [${remaining.map((r) => r.logicalId).join(', ')}]. `);
    return;
  }
  stack.outputs = [];
  stack.deletionTime = now;
  setStackStatus(stack, now, 'DELETE_COMPLETE');
}
