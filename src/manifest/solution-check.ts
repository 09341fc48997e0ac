import { closest, error, warning } from '../diagnostics/index.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import type { ManifestContext } from './files.ts';
import { checkName, MAX_NAME_LENGTH, solutionName } from './naming.ts';
import { CUSTOM_RECIPES, isCustomRecipe, isDomainRecipe, recipeNameOf } from './recipes.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import { KEY, record, wellFormedPocName } from './raw-document.ts';

/**
 * What JSON Schema cannot say about `solutions` and `evaluation`: recipes are custom recipes the
 * service knows, a group that trains has interactions, generated names fit 63 characters, and the
 * evaluation names declared solutions with one condition per gate. Reads the raw document
 * defensively, like the other semantic checks.
 */
export function checkSolutions(value: unknown, ctx: ManifestContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DocPath, onKey = false): ReturnType<typeof where> => where(ctx.source, path, onKey);
  const root = record(value) ?? {};
  const pocName = wellFormedPocName(root);
  const declared: string[] = [];
  for (const [groupKey, groupValue] of Object.entries(record(root['datasetGroups']) ?? {})) {
    const group = record(groupValue);
    const solutions = record(group?.['solutions']) ?? {};
    const keys = Object.keys(solutions);
    if (keys.length > 0 && record(record(group?.['datasets'])?.['interactions']) === undefined) {
      out.push(error('solutions-without-interactions', `dataset group "${groupKey}" declares solutions but no interactions dataset; every recipe trains on interactions`, at(['datasetGroups', groupKey, 'solutions'], true)));
    }
    for (const key of keys) {
      declared.push(`${groupKey}.${key}`);
      const base = ['datasetGroups', groupKey, 'solutions', key];
      const solution = record(solutions[key]) ?? {};
      out.push(...checkRecipe(solution['recipe'], at([...base, 'recipe'])));
      if (pocName !== undefined && KEY.test(groupKey) && KEY.test(key)) {
        const name = solutionName(pocName, groupKey, key);
        if (checkName(name) !== undefined) {
          out.push(error('name-too-long', `the solution name "${name}" has ${name.length} characters; Personalize allows at most ${MAX_NAME_LENGTH}`, { ...at(base, true), hint: `shorten name "${pocName}", the group key "${groupKey}" or the solution key "${key}"` }));
        }
      }
      if (solution['hpo'] !== undefined && solution['hpo'] !== false) {
        out.push(warning('hpo-cost', `HPO trains up to ${String(record(record(solution['hpo'])?.['resources'])?.['maxNumberOfTrainingJobs'] ?? 'the default number of')} models per version; each is billed as training`, at([...base, 'hpo'])));
      }
    }
  }
  out.push(...checkEvaluation(record(root['evaluation']), declared, at));
  return out;
}

function checkRecipe(recipe: unknown, location: ReturnType<typeof where>): Diagnostic[] {
  if (typeof recipe !== 'string' || recipe === '') return [];
  const name = recipeNameOf(recipe);
  if (name !== undefined && isCustomRecipe(name)) return [];
  if (name !== undefined && isDomainRecipe(name)) {
    return [error('unknown-recipe', `recipe "${recipe}" is a domain use case; it serves recommenders in a domain dataset group, not solutions`, { ...location, hint: `custom recipes: ${CUSTOM_RECIPES.join(', ')}` })];
  }
  const guess = name === undefined ? undefined : closest(name, CUSTOM_RECIPES);
  const how = 'a short name (aws-sims) or arn:aws:personalize:::recipe/<name>';
  return [error('unknown-recipe', `recipe "${recipe}" is not a custom Personalize recipe${guess === undefined ? '' : `; did you mean "${guess}"?`}`, { ...location, hint: `write ${how}; custom recipes: ${CUSTOM_RECIPES.join(', ')}` })];
}

function checkEvaluation(evaluation: Record<string, unknown> | undefined, declared: readonly string[], at: (path: DocPath, onKey?: boolean) => ReturnType<typeof where>): Diagnostic[] {
  if (evaluation === undefined) return [];
  const out: Diagnostic[] = [];
  const reference = (ref: unknown, path: DocPath): void => {
    if (typeof ref !== 'string' || declared.includes(ref)) return;
    const guess = closest(ref, declared);
    const known = declared.length === 0 ? 'no solution is declared' : `declared: ${declared.join(', ')}`;
    out.push(error('unknown-solution', `"${ref}" is not a declared solution (<datasetGroup>.<solution>)${guess === undefined ? `; ${known}` : `; did you mean "${guess}"?`}`, at(path)));
  };
  reference(evaluation['baseline'], ['evaluation', 'baseline']);
  const gates = Array.isArray(evaluation['gates']) ? (evaluation['gates'] as unknown[]) : [];
  gates.forEach((gateValue, i) => {
    const gate = record(gateValue);
    if (gate === undefined) return;
    const path = ['evaluation', 'gates', i];
    reference(gate['solution'], [...path, 'solution']);
    reference(gate['beats'], [...path, 'beats']);
    const beats = gate['beats'] !== undefined;
    const min = gate['min'] !== undefined;
    if (beats === min) out.push(error('gate-condition', 'a gate needs exactly one condition: `beats: <group>.<solution>` (with an optional `by` percent) or `min: <value>`', at(path)));
    if (gate['by'] !== undefined && !beats) out.push(error('gate-condition', '`by` only applies to a `beats` gate', at([...path, 'by'])));
    if (beats && gate['beats'] === gate['solution']) out.push(error('gate-condition', 'a solution cannot beat itself', at([...path, 'beats'])));
  });
  return out;
}
