import { closest, error, warning } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { isPersonalizeRegion, PERSONALIZE_REGIONS } from './regions.ts';
import { checkName, defaultStackName, longestGroupName, longestSchemaName, MAX_NAME_LENGTH } from './naming.ts';
import { record } from './raw-document.ts';
import { DATASET_KEYS } from './types.ts';
import { where } from './yaml-source.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * One deployment of the manifest: the base (top level) or an overlay under `environments.<key>`.
 * An overlay holds only the top-level fields that differ in that environment and is merged over
 * the base (objects key by key, everything else replaced), so a field that gains an overlay
 * later (campaign sizes, say) needs only its place in the JSON Schema, not new merge code.
 */
export interface ResolvedEnvironment {
  /** The `environments` key; undefined for the base. */
  readonly key: string | undefined;
  readonly name: string;
  readonly region: string;
  /** The CloudFormation stack name, or undefined for an `existing` environment. */
  readonly stackName: string | undefined;
}

/** The keys under `environments`, in declaration order. */
export function environmentKeys(value: unknown): string[] {
  return Object.keys(record(record(value)?.['environments']) ?? {});
}

/** `base` with `overlay` merged over it: objects merge key by key, anything else is replaced. */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  const b = record(base);
  const o = record(overlay);
  if (b === undefined || o === undefined) return overlay === undefined ? base : overlay;
  const out: Record<string, unknown> = { ...b };
  for (const [k, v] of Object.entries(o)) out[k] = mergeOverlay(b[k], v);
  return out;
}

/**
 * The raw document as environment `key` sees it (the `environments` section removed). A stack
 * name left at the base's default follows the environment's name, so each environment gets its
 * own stack; a custom stack name stays as written.
 */
export function applyEnvironment(value: unknown, key: string): unknown {
  const root = record(value) ?? {};
  const overlay = record(record(root['environments'])?.[key]) ?? {};
  const { environments: _environments, ...base } = root;
  const merged = record(mergeOverlay(base, overlay)) ?? {};
  const stack = record(record(merged['environment'])?.['stack']);
  if (typeof overlay['name'] === 'string' && stack !== undefined && stack['name'] === defaultStackName(String(root['name']))) {
    const { name: _name, ...rest } = stack;
    return { ...merged, environment: { stack: rest } };
  }
  return merged;
}

export function resolveEnvironment(value: unknown, key: string | undefined): ResolvedEnvironment {
  const root = record(key === undefined ? value : applyEnvironment(value, key)) ?? {};
  const name = String(root['name']);
  const env = record(root['environment']);
  const stackName = record(env?.['existing']) !== undefined ? undefined : (((record(env?.['stack'])?.['name']) as string | undefined) ?? defaultStackName(name));
  return { key, name, region: String(root['region']), stackName };
}

/**
 * Checks every overlay, selected or not, so `poc validate` catches a bad environment before CI
 * deploys it: its region, the length of every name it generates, and two environments that
 * would take the same names (or stack) in one region, which is only safe in different accounts.
 */
export function checkEnvironments(value: unknown, source: YamlSource): Diagnostic[] {
  const root = record(value);
  const keys = environmentKeys(value);
  if (root === undefined || keys.length === 0) return [];
  const diagnostics: Diagnostic[] = [];
  const groups = Object.entries(record(root['datasetGroups']) ?? {});
  const schemaKeys = Object.keys(record(root['schemas']) ?? {});
  const seen: ResolvedEnvironment[] = [];
  for (const key of keys) {
    const overlay = record(record(root['environments'])?.[key]) ?? {};
    const region = overlay['region'];
    if (typeof region === 'string' && !isPersonalizeRegion(region)) {
      const guess = closest(region, PERSONALIZE_REGIONS);
      diagnostics.push(error('unknown-region', `environment "${key}": region "${region}" is not one where Amazon Personalize is offered${guess === undefined ? '' : `; did you mean "${guess}"?`}`, where(source, ['environments', key, 'region'])));
    }
    const env = resolveEnvironment(value, key);
    if (typeof overlay['name'] === 'string') {
      const names = [
        ...groups.map(([g, group]) => longestGroupName(env.name, g, DATASET_KEYS.filter((d) => record(record(record(group)?.['datasets'])?.[d]) !== undefined))),
        ...schemaKeys.map((s) => longestSchemaName(env.name, s)),
      ];
      const longest = names.reduce((a, b) => (b.length > a.length ? b : a), '');
      if (checkName(longest) !== undefined) {
        diagnostics.push(error('name-too-long', `environment "${key}": generated names reach ${longest.length} characters; Personalize allows at most ${MAX_NAME_LENGTH}`, { ...where(source, ['environments', key, 'name']), hint: `shorten environments.${key}.name "${env.name}"` }));
      }
    }
    for (const other of seen) {
      if (other.region !== env.region) continue;
      const clash = other.name === env.name ? `the same resource names (${env.name}-*)` : other.stackName !== undefined && other.stackName === env.stackName ? `the same stack (${env.stackName})` : undefined;
      if (clash === undefined) continue;
      diagnostics.push(
        warning('environment-collision', `environments "${other.key ?? ''}" and "${key}" use ${clash} in ${env.region}; names are unique per account and region, so this is only safe in different AWS accounts`, {
          ...where(source, ['environments', key], true),
          hint: `give environments.${key} its own name`,
        }),
      );
    }
    seen.push(env);
  }
  return diagnostics;
}

/** The error for `--env KEY` naming no environment, with the closest key. */
export function unknownEnvironment(value: unknown, key: string, source: YamlSource): Diagnostic {
  const keys = environmentKeys(value);
  const guess = closest(key, keys);
  const known = keys.length === 0 ? 'poc.yaml declares no environments' : `declared: ${keys.join(', ')}`;
  return error('unknown-environment', `--env ${key}: no such environment under environments (${known})${guess === undefined ? '' : `; did you mean "${guess}"?`}`, {
    ...where(source, keys.length === 0 ? [] : ['environments'], keys.length > 0),
  });
}
