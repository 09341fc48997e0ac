import { Ajv2020 } from 'ajv/dist/2020.js';
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' };
import { error } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { Plan } from './types.ts';

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(planSchema);

/**
 * Parses a saved plan and checks it against schemas/plan.schema.json, reporting every problem.
 * `file` names the plan in diagnostics.
 */
export function readPlan(text: string, file: string): { readonly plan: Plan } | { readonly diagnostics: readonly Diagnostic[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { diagnostics: [error('plan-not-json', `The plan is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { file })] };
  }
  const problems = planProblems(value, file);
  return problems.length > 0 ? { diagnostics: problems } : { plan: value as Plan };
}

/** Schema violations of a plan value, one diagnostic each (empty when valid). */
export function planProblems(value: unknown, file = 'plan.json'): Diagnostic[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) =>
    error('plan-invalid', `The plan does not match its format: ${e.instancePath === '' ? 'the plan' : e.instancePath} ${e.message ?? 'is invalid'}.`, {
      file,
      ...(e.instancePath === '' ? {} : { path: e.instancePath.slice(1).replaceAll('/', '.') }),
    }),
  );
}
