import { parseYamlTemplate } from './template-yaml.ts';
import type { Json } from './types.ts';

export interface TemplateParameter {
  readonly type: string;
  readonly default?: string;
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
  readonly noEcho: boolean;
  readonly description?: string;
}

export interface TemplateResource {
  readonly type: string;
  readonly properties: { readonly [key: string]: Json };
  readonly dependsOn: readonly string[];
  readonly deletionPolicy: 'Delete' | 'Retain';
}

export interface TemplateOutput {
  readonly value: Json;
  readonly description?: string;
  readonly exportName?: Json;
}

/** A template whose shape is valid; references and types are checked when planning. */
export interface Template {
  readonly description?: string;
  readonly parameters: Readonly<Record<string, TemplateParameter>>;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly outputs: Readonly<Record<string, TemplateOutput>>;
  /** Sections the emulator does not evaluate (Conditions, Mappings, Transform), when present. */
  readonly unsupportedSections: readonly string[];
}

const PARAMETER_TYPES = new Set(['String', 'Number', 'CommaDelimitedList', 'List<Number>', 'List<String>']);
const KNOWN_SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Resources', 'Outputs', 'Rules']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatError(message: string): string {
  return `Template format error: ${message}`;
}

/**
 * Parses a template body (JSON, or YAML with CloudFormation's short forms) and checks its shape.
 * Returns the template or the ValidationError message CloudFormation would give.
 */
export function parseTemplate(body: string): Template | string {
  let raw: unknown;
  try {
    raw = body.trimStart().startsWith('{') ? JSON.parse(body) : parseYamlTemplate(body);
  } catch (err) {
    return formatError(`${body.trimStart().startsWith('{') ? 'JSON' : 'YAML'} not well-formed. (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(raw)) return formatError('the template is not a JSON or YAML object');
  const resources = raw['Resources'];
  if (!isObject(resources) || Object.keys(resources).length === 0) return formatError('At least one Resources member must be defined.');
  const parsedResources: Record<string, TemplateResource> = {};
  for (const [logicalId, value] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) return formatError(`Resource name ${logicalId} is non alphanumeric.`);
    if (!isObject(value) || typeof value['Type'] !== 'string') return formatError(`[/Resources/${logicalId}] Every Resources object must contain a Type member.`);
    const properties = value['Properties'] ?? {};
    if (!isObject(properties)) return formatError(`[/Resources/${logicalId}/Properties] Properties must be an object.`);
    const dependsOn = value['DependsOn'] ?? [];
    const dependsList = typeof dependsOn === 'string' ? [dependsOn] : dependsOn;
    if (!Array.isArray(dependsList) || dependsList.some((d) => typeof d !== 'string')) return formatError(`[/Resources/${logicalId}/DependsOn] DependsOn must be a string or a list of strings.`);
    const policy = value['DeletionPolicy'] ?? 'Delete';
    if (policy !== 'Delete' && policy !== 'Retain' && policy !== 'Snapshot') return formatError(`[/Resources/${logicalId}/DeletionPolicy] Unrecognized DeletionPolicy ${String(policy)}.`);
    parsedResources[logicalId] = {
      type: value['Type'],
      properties: properties as Record<string, Json>,
      dependsOn: dependsList as string[],
      deletionPolicy: policy === 'Retain' ? 'Retain' : 'Delete',
    };
  }
  const parameters: Record<string, TemplateParameter> = {};
  const rawParameters = raw['Parameters'] ?? {};
  if (!isObject(rawParameters)) return formatError('Parameters must be an object.');
  for (const [name, value] of Object.entries(rawParameters)) {
    if (!isObject(value) || typeof value['Type'] !== 'string') return formatError(`[/Parameters/${name}] Every Parameters object must contain a Type member.`);
    if (!PARAMETER_TYPES.has(value['Type'])) return formatError(`Unrecognized parameter type: ${value['Type']}`);
    const allowed = value['AllowedValues'];
    parameters[name] = {
      type: value['Type'],
      noEcho: value['NoEcho'] === true || value['NoEcho'] === 'true',
      ...(value['Default'] !== undefined ? { default: String(value['Default']) } : {}),
      ...(Array.isArray(allowed) ? { allowedValues: allowed.map(String) } : {}),
      ...(typeof value['AllowedPattern'] === 'string' ? { allowedPattern: value['AllowedPattern'] } : {}),
      ...(typeof value['Description'] === 'string' ? { description: value['Description'] } : {}),
    };
  }
  const outputs: Record<string, TemplateOutput> = {};
  const rawOutputs = raw['Outputs'] ?? {};
  if (!isObject(rawOutputs)) return formatError('Outputs must be an object.');
  for (const [name, value] of Object.entries(rawOutputs)) {
    if (!isObject(value) || value['Value'] === undefined) return formatError(`[/Outputs/${name}] Every Outputs member must contain a Value object`);
    const exported = isObject(value['Export']) ? value['Export']['Name'] : undefined;
    outputs[name] = {
      value: value['Value'] as Json,
      ...(typeof value['Description'] === 'string' ? { description: value['Description'] } : {}),
      ...(exported !== undefined ? { exportName: exported as Json } : {}),
    };
  }
  const unsupportedSections = ['Conditions', 'Mappings', 'Transform'].filter((s) => raw[s] !== undefined);
  const unknown = Object.keys(raw).filter((s) => !KNOWN_SECTIONS.has(s) && !unsupportedSections.includes(s));
  if (unknown.length > 0) return formatError(`Invalid template property or properties [${unknown.join(', ')}]`);
  return {
    ...(typeof raw['Description'] === 'string' ? { description: raw['Description'] } : {}),
    parameters,
    resources: parsedResources,
    outputs,
    unsupportedSections,
  };
}
