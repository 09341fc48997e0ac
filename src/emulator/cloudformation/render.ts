import { element } from '../s3/xml.ts';
import type { ChangeSetRecord, Parameter, ResourceChange, StackEvent, StackRecord, Tag } from './types.ts';

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export function members<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return `<${name}>${items.map((item) => `<member>${render(item)}</member>`).join('')}</${name}>`;
}

function parameters(list: readonly Parameter[], noEcho: readonly string[]): string {
  return members('Parameters', list, (p) => element('ParameterKey', p.key) + element('ParameterValue', noEcho.includes(p.key) ? '****' : p.value));
}

function tags(list: readonly Tag[]): string {
  return members('Tags', list, (t) => element('Key', t.key) + element('Value', t.value));
}

export function stackXml(stack: StackRecord): string {
  return (
    element('StackId', stack.stackId) +
    element('StackName', stack.stackName) +
    element('Description', stack.description) +
    parameters(stack.parameters, stack.noEcho) +
    element('CreationTime', iso(stack.creationTime)) +
    element('LastUpdatedTime', iso(stack.lastUpdatedTime)) +
    element('DeletionTime', iso(stack.deletionTime)) +
    element('StackStatus', stack.status) +
    element('StackStatusReason', stack.statusReason) +
    element('DisableRollback', false) +
    members('Capabilities', stack.capabilities, (c) => c) +
    members('Outputs', stack.outputs, (o) => element('OutputKey', o.key) + element('OutputValue', o.value) + element('Description', o.description) + element('ExportName', o.exportName)) +
    tags(stack.tags) +
    element('EnableTerminationProtection', false) +
    '<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>'
  );
}

function changeXml(change: ResourceChange): string {
  const details =
    change.details === undefined
      ? ''
      : members('Scope', change.details.length > 0 ? ['Properties'] : [], (s) => s) +
        members(
          'Details',
          change.details,
          (d) =>
            `<Target><Attribute>Properties</Attribute>${element('Name', d.name)}${element('RequiresRecreation', d.requiresRecreation)}</Target>` +
            '<Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource>',
        );
  return (
    '<Type>Resource</Type><ResourceChange>' +
    element('Action', change.action) +
    element('LogicalResourceId', change.logicalId) +
    element('PhysicalResourceId', change.physicalId) +
    element('ResourceType', change.type) +
    element('Replacement', change.replacement) +
    details +
    '</ResourceChange>'
  );
}

export function changeSetSummaryXml(cs: ChangeSetRecord): string {
  return (
    element('StackId', cs.stackId) +
    element('StackName', cs.stackName) +
    element('ChangeSetId', cs.changeSetId) +
    element('ChangeSetName', cs.changeSetName) +
    element('ExecutionStatus', cs.executionStatus) +
    element('Status', cs.status) +
    element('StatusReason', cs.statusReason) +
    element('CreationTime', iso(cs.creationTime)) +
    element('Description', cs.description)
  );
}

export function changeSetXml(cs: ChangeSetRecord): string {
  return (
    changeSetSummaryXml(cs) +
    parameters(cs.parameters, cs.noEcho) +
    members('Capabilities', cs.capabilities, (c) => c) +
    tags(cs.tags) +
    members('Changes', cs.plan?.changes ?? [], changeXml) +
    element('IncludeNestedStacks', false)
  );
}

export function eventXml(stack: StackRecord, e: StackEvent): string {
  return (
    element('StackId', stack.stackId) +
    element('EventId', e.eventId) +
    element('StackName', stack.stackName) +
    element('LogicalResourceId', e.logicalId) +
    element('PhysicalResourceId', e.physicalId) +
    element('ResourceType', e.type) +
    element('Timestamp', iso(e.timestamp)) +
    element('ResourceStatus', e.status) +
    element('ResourceStatusReason', e.reason)
  );
}
