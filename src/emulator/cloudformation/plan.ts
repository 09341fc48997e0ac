import { referencedNames, resolve, type ResolveEnv } from './intrinsics.ts';
import { RESOURCE_TYPES, type Placement } from './resource-types.ts';
import type { Template } from './template.ts';
import type { DeployedResource, Json, Output, PropertyDetail, ResourceChange, StackPlan } from './types.ts';

export interface PlanInput {
  readonly template: Template;
  /** Final parameter values (defaults applied, previous values reused). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly where: Placement;
  readonly stackId: string;
  /** The stack's resources now (empty for a new stack). */
  readonly previous: readonly DeployedResource[];
}

/** Keys sorted at every level, so equal JSON compares equal whatever its key order. */
function canonical(value: Json | undefined): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Resources in creation order (each after what it references); a reason when there is a cycle. */
function creationOrder(template: Template): string[] | string {
  const ids = Object.keys(template.resources);
  const deps = new Map<string, Set<string>>();
  for (const id of ids) {
    const resource = template.resources[id];
    if (!resource) continue;
    const wanted = new Set([...referencedNames(resource.properties), ...resource.dependsOn]);
    const missing = resource.dependsOn.filter((d) => !(d in template.resources));
    if (missing.length > 0) return `Template format error: Unresolved resource dependencies [${missing.join(', ')}] in the Resources block of the template`;
    deps.set(id, new Set([...wanted].filter((d) => d in template.resources && d !== id)));
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < ids.length) {
    const ready = ids.filter((id) => !placed.has(id) && [...(deps.get(id) ?? [])].every((d) => placed.has(d)));
    if (ready.length === 0) return `Circular dependency between resources: [${ids.filter((id) => !placed.has(id)).join(', ')}]`;
    for (const id of ready) {
      order.push(id);
      placed.add(id);
    }
  }
  return order;
}

function changedProperties(before: DeployedResource['properties'], after: DeployedResource['properties']): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => canonical(before[n]) !== canonical(after[n])).sort();
}

/**
 * Plans a stack operation: resolves every property against parameters, pseudo parameters and the
 * resources planned before it, decides physical ids (kept, or new on Add and replacement), and
 * lists the changes against `previous`. Returns the change set's StatusReason when the template
 * cannot be deployed (unsupported type, unresolvable reference, cycle, invalid property).
 */
export function planStack(input: PlanInput): StackPlan | string {
  const { template, where } = input;
  if (template.unsupportedSections.length > 0) return `Template sections [${template.unsupportedSections.join(', ')}] are not supported by the emulator`;
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    if (!RESOURCE_TYPES.has(resource.type)) {
      return `Unsupported resource type ${resource.type} (resource ${logicalId}): the emulator supports ${[...RESOURCE_TYPES.keys()].join(', ')}`;
    }
  }
  const order = creationOrder(template);
  if (typeof order === 'string') return order;
  const previous = new Map(input.previous.map((r) => [r.logicalId, r]));
  const planned = new Map<string, DeployedResource>();
  const pseudo: Record<string, string | readonly string[]> = {
    'AWS::AccountId': where.accountId,
    'AWS::Region': where.region,
    'AWS::StackName': where.stackName,
    'AWS::StackId': input.stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': [],
  };
  const env: ResolveEnv = {
    ref(name) {
      if (name in pseudo) return pseudo[name];
      const parameter = template.parameters[name];
      const value = input.parameters[name];
      if (parameter && value !== undefined) return parameter.type.startsWith('List<') || parameter.type === 'CommaDelimitedList' ? value.split(',') : value;
      return planned.get(name)?.physicalId;
    },
    getAtt: (logicalId, attribute) => planned.get(logicalId)?.attributes[attribute],
  };
  const changes: ResourceChange[] = [];
  for (const logicalId of order) {
    const spec = template.resources[logicalId];
    const type = spec ? RESOURCE_TYPES.get(spec.type) : undefined;
    if (!spec || !type) continue;
    const resolved = resolve(spec.properties as Json, env);
    if (!resolved.ok) return `Resource ${logicalId}: ${resolved.reason}`;
    const properties = (resolved.value ?? {}) as Record<string, Json>;
    const problem = type.validate(properties);
    if (problem) return `Resource ${logicalId} (${spec.type}): ${problem}`;
    const dependsOn = [...new Set([...referencedNames(spec.properties), ...spec.dependsOn])].filter((d) => d in template.resources && d !== logicalId);
    const base = { logicalId, type: spec.type, properties, deletionPolicy: spec.deletionPolicy, dependsOn };
    const old = previous.get(logicalId);
    if (!old) {
      const physicalId = type.physicalId(logicalId, properties, where);
      planned.set(logicalId, { ...base, physicalId, attributes: type.attributes(physicalId, properties, where) });
      changes.push({ action: 'Add', logicalId, type: spec.type });
      continue;
    }
    const changed = old.type === spec.type ? changedProperties(old.properties, properties) : Object.keys(properties);
    const replaces = old.type !== spec.type || changed.some((name) => type.replacingProperties.includes(name));
    if (replaces) {
      const physicalId = type.physicalId(logicalId, properties, where);
      planned.set(logicalId, { ...base, physicalId, attributes: type.attributes(physicalId, properties, where) });
    } else {
      planned.set(logicalId, { ...base, physicalId: old.physicalId, attributes: old.attributes });
    }
    if (changed.length === 0 && old.deletionPolicy === spec.deletionPolicy) continue;
    const details: PropertyDetail[] = changed.map((name) => ({ name, requiresRecreation: type.replacingProperties.includes(name) ? 'Always' : 'Never' }));
    changes.push({ action: 'Modify', logicalId, physicalId: old.physicalId, type: spec.type, replacement: replaces ? 'True' : 'False', details });
  }
  for (const old of input.previous) {
    if (!planned.has(old.logicalId)) changes.push({ action: 'Remove', logicalId: old.logicalId, physicalId: old.physicalId, type: old.type });
  }
  const outputs: Output[] = [];
  for (const [key, spec] of Object.entries(template.outputs)) {
    const value = resolve(spec.value, env);
    if (!value.ok) return `Output ${key}: ${value.reason}`;
    const exportName = spec.exportName === undefined ? undefined : resolve(spec.exportName, env);
    if (exportName && !exportName.ok) return `Output ${key}: ${exportName.reason}`;
    outputs.push({
      key,
      value: typeof value.value === 'string' ? value.value : Array.isArray(value.value) ? value.value.join(',') : JSON.stringify(value.value),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(exportName?.ok && typeof exportName.value === 'string' ? { exportName: exportName.value } : {}),
    });
  }
  return { resources: order.map((id) => planned.get(id)).filter((r): r is DeployedResource => r !== undefined), outputs, changes };
}
