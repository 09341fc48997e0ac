import type { EmulatorContext } from '../context.ts';
import { element } from '../s3/xml.ts';
import { cfnError, isCfnError, type CfnError } from './errors.ts';
import { setStackStatus } from './execute.ts';
import type { QueryParams } from './query.ts';
import { eventXml, members, stackXml } from './render.ts';
import type { CloudFormationState } from './state.ts';
import { parseTemplate } from './template.ts';

const IN_PROGRESS = /_IN_PROGRESS$/;

export function describeStacks(state: CloudFormationState, q: QueryParams): string | CfnError {
  const name = q.get('StackName');
  if (name === undefined) return members('Stacks', state.allStacks().filter((s) => s.status !== 'DELETE_COMPLETE'), stackXml);
  const stack = state.requireStack(name);
  return isCfnError(stack) ? stack : members('Stacks', [stack], stackXml);
}

export function listStacks(state: CloudFormationState, q: QueryParams): string {
  const filter = q.list('StackStatusFilter');
  const stacks = state.allStacks().filter((s) => filter.length === 0 || filter.includes(s.status));
  return members('StackSummaries', stacks, (s) =>
    element('StackId', s.stackId) +
    element('StackName', s.stackName) +
    element('CreationTime', new Date(s.creationTime).toISOString()) +
    element('StackStatus', s.status) +
    element('StackStatusReason', s.statusReason) +
    (s.deletionTime !== undefined ? element('DeletionTime', new Date(s.deletionTime).toISOString()) : ''),
  );
}

export function describeStackEvents(state: CloudFormationState, q: QueryParams): string | CfnError {
  const stack = state.requireStack(q.get('StackName'));
  if (isCfnError(stack)) return stack;
  return members('StackEvents', [...stack.events].reverse(), (e) => eventXml(stack, e));
}

export function describeStackResources(state: CloudFormationState, q: QueryParams): string | CfnError {
  const stack = state.requireStack(q.get('StackName'));
  if (isCfnError(stack)) return stack;
  const wanted = q.get('LogicalResourceId');
  const resources = stack.resources.filter((r) => wanted === undefined || r.logicalId === wanted);
  return members('StackResources', resources, (r) =>
    element('StackName', stack.stackName) +
    element('StackId', stack.stackId) +
    element('LogicalResourceId', r.logicalId) +
    element('PhysicalResourceId', r.physicalId) +
    element('ResourceType', r.type) +
    element('Timestamp', new Date(stack.lastUpdatedTime ?? stack.creationTime).toISOString()) +
    element('ResourceStatus', stack.lastUpdatedTime === undefined ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE'),
  );
}

export function listStackResources(state: CloudFormationState, q: QueryParams): string | CfnError {
  const stack = state.requireStack(q.get('StackName'));
  if (isCfnError(stack)) return stack;
  return members('StackResourceSummaries', stack.resources, (r) =>
    element('LogicalResourceId', r.logicalId) +
    element('PhysicalResourceId', r.physicalId) +
    element('ResourceType', r.type) +
    element('LastUpdatedTimestamp', new Date(stack.lastUpdatedTime ?? stack.creationTime).toISOString()) +
    element('ResourceStatus', stack.lastUpdatedTime === undefined ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE'),
  );
}

/** DeleteStack: deleting an unknown or already deleted stack succeeds, as in CloudFormation. */
export function deleteStack(state: CloudFormationState, ctx: EmulatorContext, q: QueryParams): string | CfnError {
  const name = q.get('StackName');
  if (!name) return cfnError('ValidationError', "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  const stack = state.findStack(name);
  if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return '';
  if (IN_PROGRESS.test(stack.status) && stack.status !== 'REVIEW_IN_PROGRESS') {
    return cfnError('ValidationError', `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
  }
  const retain = q.list('RetainResources');
  if (retain.length > 0 && stack.status !== 'DELETE_FAILED') {
    return cfnError('ValidationError', `Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`);
  }
  setStackStatus(stack, ctx.now(), 'DELETE_IN_PROGRESS', 'User Initiated');
  stack.pending = { kind: 'delete', at: state.stackPhaseEnd(), ...(retain.length > 0 ? { retain } : {}) };
  state.save();
  state.advance();
  return '';
}

export function getTemplate(state: CloudFormationState, q: QueryParams): string | CfnError {
  const changeSetName = q.get('ChangeSetName');
  if (changeSetName !== undefined) {
    const cs = state.findChangeSet(changeSetName, q.get('StackName'));
    if (isCfnError(cs)) return cs;
    return element('TemplateBody', cs.templateBody) + members('StagesAvailable', ['Original', 'Processed'], (s) => s);
  }
  const stack = state.requireStack(q.get('StackName'));
  if (isCfnError(stack)) return stack;
  const body = stack.templateBody ?? state.changeSetsOf(stack.stackId)[0]?.templateBody;
  if (body === undefined) return cfnError('ValidationError', `Stack with id ${stack.stackName} has no template yet`);
  return element('TemplateBody', body) + members('StagesAvailable', ['Original', 'Processed'], (s) => s);
}

export function validateTemplate(q: QueryParams): string | CfnError {
  const body = q.get('TemplateBody');
  if (body === undefined) return cfnError('ValidationError', 'Either Template URL or Template Body must be specified.');
  const template = parseTemplate(body);
  if (typeof template === 'string') return cfnError('ValidationError', template);
  const iam = Object.values(template.resources).filter((r) => r.type === 'AWS::IAM::Role');
  const capability = iam.some((r) => r.properties['RoleName'] !== undefined) ? 'CAPABILITY_NAMED_IAM' : iam.length > 0 ? 'CAPABILITY_IAM' : undefined;
  return (
    members('Parameters', Object.entries(template.parameters), ([key, p]) =>
      element('ParameterKey', key) + element('DefaultValue', p.default) + element('NoEcho', p.noEcho) + element('Description', p.description),
    ) +
    element('Description', template.description) +
    members('Capabilities', capability ? [capability] : [], (c) => c) +
    (capability ? element('CapabilitiesReason', `The following resource(s) require capabilities: [AWS::IAM::Role]`) : '')
  );
}
