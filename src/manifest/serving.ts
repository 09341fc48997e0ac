import { closest, error } from '../diagnostics/index.ts';
import type { Diagnostic, SourceLocation } from '../diagnostics/index.ts';
import { parseFilterExpression } from '../filter-expression/index.ts';
import type { ManifestContext } from './files.ts';
import { campaignName, checkName, eventTrackerName, filterName, MAX_NAME_LENGTH } from './naming.ts';
import { recipeNameOf } from './recipes.ts';
import type { CampaignSpec, EventTrackerSpec, FilterSpec, ItemExplorationSpec } from './types.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import { KEY, record, wellFormedPocName } from './raw-document.ts';

/** The serving sections of one dataset group as written, once they have passed the JSON Schema. */
export interface RawServing {
  campaigns?: Record<string, RawCampaign>;
  filters?: Record<string, { expression: string; name?: string; protect?: boolean }>;
  eventTracker?: { name?: string; protect?: boolean };
}

interface RawCampaign {
  solution: string;
  name?: string;
  minProvisionedTPS?: number;
  itemExploration?: ItemExplorationSpec;
  enableMetadataWithRecommendations?: boolean;
  syncWithLatestSolutionVersion?: boolean;
  protect?: boolean;
}

/** Recipes whose campaigns can explore new items (campaignConfig.itemExplorationConfig). */
export const EXPLORING_RECIPES: readonly string[] = ['aws-user-personalization', 'aws-user-personalization-v2'];

function named(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}

/** The typed campaigns, filters and event tracker of one group; defaults made explicit. */
export function buildServing(groupKey: string, raw: RawServing, ctx: ManifestContext): { campaigns?: Record<string, CampaignSpec>; filters?: Record<string, FilterSpec>; eventTracker?: EventTrackerSpec } {
  const base = ['datasetGroups', groupKey];
  const campaigns: Record<string, CampaignSpec> = {};
  for (const [key, c] of Object.entries(raw.campaigns ?? {})) {
    campaigns[key] = {
      key,
      group: groupKey,
      ...named(c.name),
      solution: c.solution,
      minProvisionedTPS: c.minProvisionedTPS ?? 1,
      ...(c.itemExploration === undefined ? {} : { itemExploration: c.itemExploration }),
      enableMetadataWithRecommendations: c.enableMetadataWithRecommendations ?? false,
      syncWithLatestSolutionVersion: c.syncWithLatestSolutionVersion ?? false,
      protect: c.protect ?? false,
      at: ctx.source.locateKey([...base, 'campaigns', key]),
    };
  }
  const filters: Record<string, FilterSpec> = {};
  for (const [key, f] of Object.entries(raw.filters ?? {})) {
    filters[key] = { key, group: groupKey, ...named(f.name), expression: f.expression, protect: f.protect ?? false, at: ctx.source.locateKey([...base, 'filters', key]) };
  }
  const tracker = raw.eventTracker;
  return {
    ...(raw.campaigns === undefined ? {} : { campaigns }),
    ...(raw.filters === undefined ? {} : { filters }),
    ...(tracker === undefined ? {} : { eventTracker: { group: groupKey, ...named(tracker.name), protect: tracker.protect ?? false, at: ctx.source.locateKey([...base, 'eventTracker']) } }),
  };
}

/**
 * What JSON Schema cannot say about campaigns, filters and event trackers: a campaign's solution
 * is declared in the same group, item exploration needs a User-Personalization recipe, filter
 * expressions parse (the error at the expression's line and, when it is written on one line, at
 * the column of the problem), and every AWS name fits. Reads the raw document defensively, like
 * the other semantic checks; `text` is poc.yaml as read, for the columns.
 */
export function checkServing(value: unknown, ctx: ManifestContext, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: DocPath, onKey = false): SourceLocation & { path?: string } => where(ctx.source, path, onKey);
  const root = record(value) ?? {};
  const pocName = wellFormedPocName(root);
  const lines = text.split('\n');
  for (const [groupKey, groupValue] of Object.entries(record(root['datasetGroups']) ?? {})) {
    const group = record(groupValue) ?? {};
    const base = ['datasetGroups', groupKey];
    const solutions = record(group['solutions']) ?? {};
    const nameCheck = (path: DocPath, what: string, override: unknown, generated: (poc: string) => string): void => {
      const name = typeof override === 'string' ? override : pocName !== undefined && KEY.test(groupKey) ? generated(pocName) : undefined;
      if (name === undefined) return;
      const problem = checkName(name);
      if (problem === 'too-long') {
        const hint = typeof override === 'string' ? 'shorten its `name:`' : `shorten name "${pocName ?? ''}", the group key "${groupKey}" or the ${what} key, or give it a shorter \`name:\``;
        out.push(error('name-too-long', `the ${what} name "${name}" has ${name.length} characters; Personalize allows at most ${MAX_NAME_LENGTH}`, { ...at(path, true), hint }));
      } else if (problem === 'bad-pattern') {
        out.push(error('bad-name', `the ${what} name "${name}" is not a Personalize name: letters, digits, - and _, starting with a letter or digit`, at([...path, 'name'])));
      }
    };

    for (const [key, campaignValue] of Object.entries(record(group['campaigns']) ?? {})) {
      const campaign = record(campaignValue) ?? {};
      const path = [...base, 'campaigns', key];
      if (KEY.test(key)) nameCheck(path, 'campaign', campaign['name'], (poc) => campaignName(poc, groupKey, key));
      const solutionKey = campaign['solution'];
      if (typeof solutionKey !== 'string') continue;
      const solution = record(solutions[solutionKey]);
      if (solution === undefined) {
        const declared = Object.keys(solutions);
        const guess = closest(solutionKey, declared);
        const known = declared.length === 0 ? `group "${groupKey}" declares no solution` : `declared in "${groupKey}": ${declared.join(', ')}`;
        out.push(error('unknown-solution', `campaign "${key}" serves solution "${solutionKey}", which is not declared in dataset group "${groupKey}"${guess === undefined ? `; ${known}` : `; did you mean "${guess}"?`}`, at([...path, 'solution'])));
        continue;
      }
      const recipe = typeof solution['recipe'] === 'string' ? (recipeNameOf(solution['recipe']) ?? solution['recipe']) : undefined;
      if (campaign['itemExploration'] !== undefined && recipe !== undefined && !EXPLORING_RECIPES.includes(recipe)) {
        out.push(
          error('item-exploration-recipe', `campaign "${key}" sets itemExploration, but solution "${solutionKey}" uses ${recipe}; only User-Personalization recipes explore new items`, {
            ...at([...path, 'itemExploration'], true),
            hint: `remove itemExploration, or serve a solution with ${EXPLORING_RECIPES.join(' or ')}`,
          }),
        );
      }
    }

    for (const [key, filterValue] of Object.entries(record(group['filters']) ?? {})) {
      const filter = record(filterValue) ?? {};
      const path = [...base, 'filters', key];
      if (KEY.test(key)) nameCheck(path, 'filter', filter['name'], (poc) => filterName(poc, groupKey, key));
      const expression = filter['expression'];
      if (typeof expression !== 'string') continue;
      const parsed = parseFilterExpression(expression);
      if (parsed.ok) continue;
      const location = at([...path, 'expression']);
      out.push(
        error('filter-expression', `filter "${key}": ${parsed.message}`, {
          ...location,
          column: columnIn(lines, location, expression, parsed.column),
          hint: 'e.g. EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase"); see the Personalize filter expression syntax',
        }),
      );
    }

    const tracker = group['eventTracker'];
    if (tracker !== undefined) nameCheck([...base, 'eventTracker'], 'event tracker', record(tracker)?.['name'], (poc) => eventTrackerName(poc, groupKey));
  }
  return out;
}

/**
 * The column of position `column` (1-based) of `expression` when poc.yaml writes it on the
 * value's line as is (plain or quoted without escapes); else the start of the value.
 */
function columnIn(lines: readonly string[], location: SourceLocation, expression: string, column: number): number {
  const start = location.column ?? 1;
  const line = lines[(location.line ?? 1) - 1] ?? '';
  const quoted = line[start - 1] === '"' || line[start - 1] === "'" ? 1 : 0;
  if (line.slice(start - 1 + quoted, start - 1 + quoted + expression.length) !== expression) return start;
  return start + quoted + column - 1;
}
