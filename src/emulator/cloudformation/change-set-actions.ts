import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';
import { cfnError, isCfnError, noSuchStack, type CfnError } from './errors.ts';
import type { QueryParams } from './query.ts';
import { changeSetSummaryXml, changeSetXml, members } from './render.ts';
import { RESOURCE_TYPES } from './resource-types.ts';
import { setStackStatus } from './execute.ts';
import type { CloudFormationState } from './state.ts';
import { parseTemplate, type Template } from './template.ts';
import type { ChangeSetRecord, ChangeSetType, Parameter, StackRecord, Tag } from './types.ts';
import { element } from '../s3/xml.ts';

const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
/** CloudFormation's limit for a TemplateBody passed inline. */
const MAX_TEMPLATE_BODY = 51_200;

/** Parameter values for a change set: given, previous (UsePreviousValue) or default, then checked. */
function resolveParameters(template: Template, q: QueryParams, stack: StackRecord | undefined): Parameter[] | CfnError {
  const given = q.structs('Parameters', ['ParameterKey', 'ParameterValue', 'UsePreviousValue']);
  const unknown = given.map((g) => g['ParameterKey'] ?? '').filter((key) => !(key in template.parameters));
  if (unknown.length > 0) return cfnError('ValidationError', `Parameters: [${unknown.join(',')}] do not exist in the template`);
  const out: Parameter[] = [];
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(template.parameters)) {
    const entry = given.find((g) => g['ParameterKey'] === key);
    const value =
      entry?.['UsePreviousValue'] === 'true' ? stack?.parameters.find((p) => p.key === key)?.value : (entry?.['ParameterValue'] ?? spec.default);
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    if (spec.allowedValues && !spec.allowedValues.includes(value)) {
      return cfnError('ValidationError', `Parameter '${key}' must be one of AllowedValues`);
    }
    if (spec.allowedPattern !== undefined && !new RegExp(`^(?:${spec.allowedPattern})$`).test(value)) {
      return cfnError('ValidationError', `Parameter '${key}' must match pattern ${spec.allowedPattern}`);
    }
    if (spec.type === 'Number' && (value.trim() === '' || Number.isNaN(Number(value)))) return cfnError('ValidationError', `Parameter '${key}' must be a number.`);
    out.push({ key, value });
  }
  if (missing.length > 0) return cfnError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
  return out;
}

function checkCapabilities(template: Template, granted: readonly string[]): CfnError | undefined {
  let needed: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  for (const resource of Object.values(template.resources)) {
    const capability = RESOURCE_TYPES.get(resource.type)?.requiredCapability(resource.properties);
    if (capability === 'CAPABILITY_NAMED_IAM' || (capability === 'CAPABILITY_IAM' && needed === undefined)) needed = capability;
  }
  if (needed === undefined || granted.includes('CAPABILITY_NAMED_IAM') || (needed === 'CAPABILITY_IAM' && granted.includes('CAPABILITY_IAM'))) return undefined;
  return cfnError('InsufficientCapabilitiesException', `Requires capabilities : [${needed}]`);
}

export function createChangeSet(state: CloudFormationState, ctx: EmulatorContext, q: QueryParams): string | CfnError {
  const stackName = q.get('StackName') ?? '';
  const changeSetName = q.get('ChangeSetName') ?? '';
  if (!NAME_PATTERN.test(stackName)) return cfnError('ValidationError', `1 validation error detected: Value '${stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  if (!NAME_PATTERN.test(changeSetName)) return cfnError('ValidationError', `1 validation error detected: Value '${changeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  const type = (q.get('ChangeSetType') ?? 'UPDATE') as ChangeSetType;
  if (type !== 'CREATE' && type !== 'UPDATE') return cfnError('ValidationError', `ChangeSetType ${String(type)} is not supported by the emulator (CREATE or UPDATE)`);
  let stack = state.findStack(stackName);
  if (type === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS')) return noSuchStack(stackName);
  if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') return cfnError('AlreadyExistsException', `Stack [${stackName}] already exists and cannot be created again with the changeSet [${changeSetName}].`);
  if (stack && state.changeSetsOf(stack.stackId).some((cs) => cs.changeSetName === changeSetName)) {
    return cfnError('AlreadyExistsException', `ChangeSet [${changeSetName}] already exists`);
  }
  const body = q.get('UsePreviousTemplate') === 'true' ? stack?.templateBody : q.get('TemplateBody');
  if (body === undefined) {
    return cfnError('ValidationError', q.get('TemplateURL') ? 'TemplateURL is not supported by the emulator; pass TemplateBody' : 'Either Template URL or Template Body must be specified.');
  }
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY) return cfnError('ValidationError', `Templates with a size greater than ${MAX_TEMPLATE_BODY} bytes must be deployed via an S3 Bucket`);
  const template = parseTemplate(body);
  if (typeof template === 'string') return cfnError('ValidationError', template);
  const parameters = resolveParameters(template, q, stack);
  if (isCfnError(parameters)) return parameters;
  const capabilities = q.list('Capabilities');
  const capabilityProblem = checkCapabilities(template, capabilities);
  if (capabilityProblem) return capabilityProblem;
  const now = ctx.now();
  if (!stack) {
    stack = {
      stackId: `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${stackName}/${randomUUID()}`,
      stackName,
      status: 'REVIEW_IN_PROGRESS',
      creationTime: now,
      parameters: [],
      noEcho: [],
      tags: [],
      capabilities: [],
      resources: [],
      outputs: [],
      events: [],
    };
    setStackStatus(stack, now, 'REVIEW_IN_PROGRESS', 'User Initiated');
    state.addStack(stack);
  }
  const tags: Tag[] = q.structs('Tags', ['Key', 'Value']).map((t) => ({ key: t['Key'] ?? '', value: t['Value'] ?? '' }));
  const description = q.get('Description');
  const cs: ChangeSetRecord = {
    changeSetId: `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:changeSet/${changeSetName}/${randomUUID()}`,
    changeSetName,
    stackId: stack.stackId,
    stackName,
    type,
    status: 'CREATE_PENDING',
    executionStatus: 'UNAVAILABLE',
    creationTime: now,
    readyAt: state.stackPhaseEnd(),
    ...(description !== undefined ? { description } : {}),
    templateBody: body,
    parameters,
    noEcho: Object.entries(template.parameters).filter(([, p]) => p.noEcho).map(([k]) => k),
    tags: tags.length > 0 ? tags : stack.tags,
    capabilities,
  };
  state.addChangeSet(cs);
  state.save();
  return element('Id', cs.changeSetId) + element('StackId', stack.stackId);
}

export function describeChangeSet(state: CloudFormationState, q: QueryParams): string | CfnError {
  const cs = state.findChangeSet(q.get('ChangeSetName'), q.get('StackName'));
  return isCfnError(cs) ? cs : changeSetXml(cs);
}

export function listChangeSets(state: CloudFormationState, q: QueryParams): string | CfnError {
  const stack = state.requireStack(q.get('StackName'));
  if (isCfnError(stack)) return stack;
  return members('Summaries', state.changeSetsOf(stack.stackId), changeSetSummaryXml);
}

export function deleteChangeSet(state: CloudFormationState, q: QueryParams): string | CfnError {
  const cs = state.findChangeSet(q.get('ChangeSetName'), q.get('StackName'));
  if (isCfnError(cs)) return cs;
  if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
    return cfnError('InvalidChangeSetStatus', `ChangeSet [${cs.changeSetId}] cannot be deleted in its current status of [${cs.executionStatus}]`);
  }
  state.removeChangeSets((c) => c.changeSetId === cs.changeSetId);
  state.save();
  return '';
}

const STABLE_FOR_UPDATE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

export function executeChangeSet(state: CloudFormationState, ctx: EmulatorContext, q: QueryParams): string | CfnError {
  const cs = state.findChangeSet(q.get('ChangeSetName'), q.get('StackName'));
  if (isCfnError(cs)) return cs;
  if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
    return cfnError('InvalidChangeSetStatus', `ChangeSet [${cs.changeSetId}] cannot be executed in its current status of [${cs.status === 'CREATE_COMPLETE' ? cs.executionStatus : cs.status}]`);
  }
  const stack = state.findStack(cs.stackId);
  if (!stack) return noSuchStack(cs.stackName);
  if (cs.type === 'UPDATE' && !STABLE_FOR_UPDATE.has(stack.status)) {
    return cfnError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  }
  const now = ctx.now();
  cs.executionStatus = 'EXECUTE_IN_PROGRESS';
  if (cs.type === 'UPDATE') stack.lastUpdatedTime = now;
  setStackStatus(stack, now, cs.type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', 'User Initiated');
  stack.pending = { kind: 'execute', at: state.stackPhaseEnd(), changeSetId: cs.changeSetId };
  // Executing a change set makes the stack's other change sets stale, so CloudFormation drops them.
  state.removeChangeSets((c) => c.stackId === stack.stackId && c.changeSetId !== cs.changeSetId);
  state.save();
  state.advance();
  return '';
}
