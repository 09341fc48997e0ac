import type { Json } from './types.ts';

/** What references resolve against: parameters, pseudo parameters, and resources planned so far. */
export interface ResolveEnv {
  /** `Ref` value of a parameter, pseudo parameter or resource; undefined when unknown. */
  ref(name: string): string | readonly string[] | undefined;
  /** `Fn::GetAtt` value; undefined when the resource or attribute is unknown. */
  getAtt(logicalId: string, attribute: string): string | undefined;
}

export type Resolution = { readonly ok: true; readonly value: Json | undefined } | { readonly ok: false; readonly reason: string };

/** Thrown inside the recursive resolver only; {@link resolve} turns it into a value. */
class Unresolvable extends Error {}

const NO_VALUE = 'AWS::NoValue';
const SUB_VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Evaluates intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split,
 * Fn::Base64) in a template value. `Ref: AWS::NoValue` removes the enclosing property (value
 * undefined). Anything unresolvable yields a reason naming the reference.
 */
export function resolve(value: Json, env: ResolveEnv): Resolution {
  try {
    return { ok: true, value: evaluate(value, env) };
  } catch (err) {
    if (err instanceof Unresolvable) return { ok: false, reason: err.message };
    throw err;
  }
}

function evaluate(value: Json, env: ResolveEnv): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, env)).filter((v): v is Json => v !== undefined);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const fn = keys[0];
  if (keys.length === 1 && fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::'))) return evaluateFunction(fn, value[fn] as Json, env);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    const resolved = evaluate(v, env);
    if (resolved !== undefined) out[k] = resolved;
  }
  return out;
}

function text(value: Json | undefined, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Unresolvable(`${where} must evaluate to a string`);
}

function list(value: Json | undefined, where: string): Json[] {
  if (!Array.isArray(value)) throw new Unresolvable(`${where} must evaluate to a list`);
  return value;
}

function refValue(name: string, env: ResolveEnv): string | readonly string[] {
  const found = env.ref(name);
  if (found === undefined) throw new Unresolvable(`Unresolved reference: ${name} is not a parameter, pseudo parameter or resource in the template`);
  return found;
}

function attValue(logicalId: string, attribute: string, env: ResolveEnv): string {
  const found = env.getAtt(logicalId, attribute);
  if (found === undefined) throw new Unresolvable(`Unresolved reference: Fn::GetAtt ${logicalId}.${attribute} names no resource attribute of the template`);
  return found;
}

function evaluateFunction(fn: string, arg: Json, env: ResolveEnv): Json | undefined {
  switch (fn) {
    case 'Ref': {
      const name = text(arg, 'Ref');
      if (name === NO_VALUE) return undefined;
      const found = refValue(name, env);
      return typeof found === 'string' ? found : [...found];
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s) : list(arg, 'Fn::GetAtt');
      return attValue(text(logicalId, 'Fn::GetAtt'), text(evaluate(attribute ?? null, env), 'Fn::GetAtt attribute'), env);
    }
    case 'Fn::Sub':
      return substitute(arg, env);
    case 'Fn::Join': {
      const [delimiter, items] = list(arg, 'Fn::Join');
      return list(evaluate(items ?? null, env), 'Fn::Join').map((v) => text(v, 'Fn::Join item')).join(text(delimiter, 'Fn::Join delimiter'));
    }
    case 'Fn::Select': {
      const [index, items] = list(arg, 'Fn::Select');
      const all = list(evaluate(items ?? null, env), 'Fn::Select');
      const at = Number(text(evaluate(index ?? null, env), 'Fn::Select index'));
      if (!Number.isInteger(at) || at < 0 || at >= all.length) throw new Unresolvable(`Fn::Select index ${at} is out of bounds`);
      return all[at];
    }
    case 'Fn::Split': {
      const [delimiter, source] = list(arg, 'Fn::Split');
      return text(evaluate(source ?? null, env), 'Fn::Split source').split(text(delimiter, 'Fn::Split delimiter'));
    }
    case 'Fn::Base64':
      return Buffer.from(text(evaluate(arg, env), 'Fn::Base64')).toString('base64');
    default:
      throw new Unresolvable(`Unsupported intrinsic function ${fn}: the emulator evaluates Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split and Fn::Base64`);
  }
}

function substitute(arg: Json, env: ResolveEnv): string {
  const [template, vars] = typeof arg === 'string' ? [arg, {}] : list(arg, 'Fn::Sub');
  const source = text(template, 'Fn::Sub');
  const locals: Record<string, string> = {};
  if (vars !== undefined && (typeof vars !== 'object' || vars === null || Array.isArray(vars))) throw new Unresolvable('Fn::Sub variables must be a map');
  for (const [name, value] of Object.entries(vars ?? {})) locals[name] = text(evaluate(value, env), `Fn::Sub variable ${name}`);
  return source.replace(SUB_VARIABLE, (_, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (locals[name] !== undefined) return locals[name];
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return attValue(name.slice(0, dot), name.slice(dot + 1), env);
    const found = refValue(name, env);
    if (typeof found !== 'string') throw new Unresolvable(`Fn::Sub variable ${name} is a list`);
    return found;
  });
}

/**
 * Names a value refers to (Ref targets, GetAtt logical ids, Fn::Sub variables), for ordering
 * resources and reporting unresolvable references before anything is created.
 */
export function referencedNames(value: Json): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, inner] of Object.entries(v)) {
      if (k === 'Ref' && typeof inner === 'string') out.add(inner);
      else if (k === 'Fn::GetAtt') {
        const first = typeof inner === 'string' ? inner.split('.')[0] : Array.isArray(inner) ? inner[0] : undefined;
        if (typeof first === 'string') out.add(first);
      } else if (k === 'Fn::Sub') {
        const [template, vars] = typeof inner === 'string' ? [inner, undefined] : Array.isArray(inner) ? inner : [undefined, undefined];
        const locals = vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : [];
        if (typeof template === 'string') {
          for (const match of template.matchAll(SUB_VARIABLE)) {
            const name = (match[1] ?? '').trim();
            if (name.startsWith('!') || locals.includes(name)) continue;
            out.add(name.startsWith('AWS::') ? name : (name.split('.')[0] ?? name));
          }
        }
        if (vars !== undefined) walk(vars);
      } else walk(inner);
    }
  };
  walk(value);
  return out;
}
