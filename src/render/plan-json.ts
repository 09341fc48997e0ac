import { serializePlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';

/** The plan itself: pretty, sorted keys, stable bytes (what `plan --out` saves). */
export function renderPlanJson(plan: Plan): string {
  return serializePlan(plan);
}
