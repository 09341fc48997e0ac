import { PersonalizeError } from './errors.ts';
import type { Shape, StructureShape } from './shapes.ts';

/**
 * Checks a request against its declared shape before the operation runs, so a bad request never
 * changes state.
 *
 * Which error: violations of the model's own constraints (required, length, pattern, range, enum,
 * JSON type) are rejected by the AWS request framework before the service sees the call, with
 * `ValidationException` and a message of the form "1 validation error detected: Value 'x' at
 * 'name' failed to satisfy constraint: Member must ...". Personalize's Common Errors page lists
 * this framework error (ValidationError, HTTP 400); its modeled `InvalidInputException` is what the
 * service itself raises for semantic problems (a bad Avro schema, an unknown dataset type, a
 * reserved tag prefix), so the emulator uses it for those. Every violation is collected and
 * reported at once, as the framework does.
 */
export function validateInput(shape: StructureShape, input: Record<string, unknown>): void {
  const problems: string[] = [];
  checkMembers(shape, input, '', problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
    throw new PersonalizeError('ValidationException', `${count} detected: ${problems.join('; ')}`);
  }
}

const compiled = new Map<string, RegExp>();

/** Smithy patterns are written unanchored; the service matches them against the whole value. */
function fullMatch(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^(?:${pattern})$`, 'su');
    compiled.set(pattern, re);
  }
  return re;
}

function checkMembers(shape: StructureShape, value: Record<string, unknown>, prefix: string, problems: string[]): void {
  for (const [name, member] of Object.entries(shape.members)) {
    check(member, value[name], `${prefix}${name}`, problems);
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function check(shape: Shape, value: unknown, path: string, problems: string[]): void {
  if (value === undefined || value === null) {
    if (shape.required === true) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  const fail = (constraint: string): void => {
    problems.push(`Value '${show(value)}' at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return fail('be a string');
      if (shape.min !== undefined && value.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      if (shape.pattern !== undefined && !fullMatch(shape.pattern).test(value)) fail(`satisfy regular expression pattern: ${shape.pattern}`);
      if (shape.enum !== undefined && !shape.enum.includes(value)) fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('be an integer');
      if (shape.min !== undefined && value < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('be a number');
      if (shape.min !== undefined && value < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.max !== undefined && entries.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      for (const [key, item] of entries) {
        check(shape.key, key, `${path}.${key}.key`, problems);
        check(shape.value, item, `${path}.${key}.value`, problems);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('be a boolean');
      return;
    case 'list': {
      if (!Array.isArray(value)) return fail('be a list');
      if (shape.min !== undefined && value.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      value.forEach((item: unknown, i) => check(shape.member, item, `${path}.${i + 1}.member`, problems));
      return;
    }
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('be a structure');
      checkMembers(shape, value as Record<string, unknown>, `${path}.`, problems);
      return;
    }
  }
}
