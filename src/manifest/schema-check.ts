import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { closest, error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { dotted, where } from './yaml-source.ts';
import type { DocPath, YamlSource } from './yaml-source.ts';

/** Absolute path of the JSON Schema that is the truth about poc.yaml's shape. */
export const MANIFEST_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/poc.schema.json', import.meta.url));

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(MANIFEST_SCHEMA_FILE, 'utf8')) as AnySchemaObject;
    // Draft-07, the dialect editors' YAML plugins understand best. verbose: the mapping below
    // reads each error's parentSchema for allowed keys and descriptions.
    compiled = new Ajv({ allErrors: true, verbose: true, strict: true }).compile(schema);
  }
  return compiled;
}

/**
 * Checks the parsed document against schemas/poc.schema.json and maps every ajv error to a
 * diagnostic at the line and column of the offending node (the key itself for unknown or badly
 * named keys). One diagnostic per (code, path): ajv's secondary errors about the same spot are noise.
 */
export function checkAgainstSchema(source: YamlSource): Diagnostic[] {
  const validate = validator();
  if (validate(source.value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  // Paths of required keys that an unknown key is a likely misspelling of.
  const explained = new Set<string>();
  for (const e of validate.errors ?? []) {
    const d = toDiagnostic(e, source, explained);
    if (d === undefined) continue;
    const id = `${d.code}@${d.path ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  // A misspelt required key also shows up as missing; the did-you-mean already says it all.
  return out.filter((d) => d.code !== 'missing-key' || d.path === undefined || !explained.has(d.path));
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonType(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function toDiagnostic(e: ErrorObject, source: YamlSource, explained: Set<string>): Diagnostic | undefined {
  const path = pointerToPath(e.instancePath);
  const parent = e.parentSchema ?? {};
  const at = (p: DocPath, onKey = false): ReturnType<typeof where> => where(source, p, onKey);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((parent['properties'] as Record<string, unknown> | undefined) ?? {});
      const guess = closest(key, allowed);
      if (guess !== undefined) explained.add(dotted([...path, guess]));
      const message =
        guess !== undefined
          ? `unknown key "${key}"; did you mean "${guess}"?`
          : `unknown key "${key}"; allowed keys: ${allowed.join(', ')}`;
      return error('unknown-key', message, at([...path, key], true));
    }
    case 'type':
      return error('wrong-type', `expected ${String(params['type'])}, got ${jsonType(e.data)}`, at(path));
    case 'required': {
      const key = String(params['missingProperty']);
      // Point at the key that owns the mapping: its value may start lines later, or be empty.
      const owner = path.length === 0 ? source.locate(path) : source.locateKey(path);
      return error('missing-key', `missing required key "${key}"`, { ...owner, path: dotted([...path, key]) });
    }
    case 'const':
      return error('invalid-value', `must be ${JSON.stringify(params['allowedValue'])}, got ${jsonType(e.data)}`, at(path));
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      const suffix = guess === undefined ? '' : `; did you mean "${guess}"?`;
      return error('invalid-value', `must be one of ${quoteList(allowed)}, got ${jsonType(e.data)}${suffix}`, at(path));
    }
    case 'pattern': {
      const described = typeof parent['description'] === 'string' ? ` (${parent['description']})` : '';
      if (e.propertyName !== undefined) {
        return error('invalid-key', `key "${e.propertyName}" does not match ${String(params['pattern'])}${described}`, at([...path, e.propertyName], true));
      }
      return error('invalid-format', `${JSON.stringify(e.data)} does not match ${String(params['pattern'])}${described}`, at(path));
    }
    case 'propertyNames':
      return undefined; // the nested pattern error already names the key
    case 'if':
      return undefined; // the failing then/else branch's own error says what is wrong
    case 'minProperties':
    case 'maxProperties': {
      const names = Object.keys((parent['properties'] as Record<string, unknown> | undefined) ?? {});
      if (parent['minProperties'] === 1 && parent['maxProperties'] === 1) {
        return error('invalid-value', `set exactly one of: ${names.join(', ')}`, at(path));
      }
      const what = e.keyword === 'minProperties' ? 'at least' : 'at most';
      return error('invalid-value', `needs ${what} ${String(params['limit'])} entr${params['limit'] === 1 ? 'y' : 'ies'}`, at(path));
    }
    case 'minLength':
      return error('invalid-value', params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters`, at(path));
    case 'maxLength':
      return error('invalid-value', `is ${String(e.data).length} characters; at most ${String(params['limit'])} allowed`, at(path));
    case 'minimum':
    case 'maximum':
      return error('out-of-range', `must be ${String(params['comparison'])} ${String(params['limit'])}, got ${jsonType(e.data)}`, at(path));
    default:
      return error('schema-violation', e.message ?? e.keyword, at(path));
  }
}
