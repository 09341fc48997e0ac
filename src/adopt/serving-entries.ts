import type { Campaign, Recommender } from '@aws-sdk/client-personalize';
import { warning, type Diagnostic } from '../diagnostics/index.ts';
import { campaignName, eventTrackerName, filterName, recommenderName } from '../manifest/naming.ts';
import { recipeNameOf } from '../manifest/recipes.ts';
import { solutionArnOfVersion } from '../resources/solution.ts';
import { memberKeyFor } from './names.ts';
import { trainingDataOf } from './solution-entry.ts';
import type { Entry, GroupSnapshot, Note } from './types.ts';

/** Where the group's entries go, and the keys of the solutions adopted, by ARN (campaigns refer to them by key). */
export interface ServingContext {
  readonly pocName: string;
  readonly groupKey: string;
  readonly groupName: string;
  readonly solutions: ReadonlyMap<string, string>;
}

/** The group's serving sections; empty sections are left out of poc.yaml. */
export interface ServingEntries {
  readonly sections: Entry;
  readonly notes: readonly Note[];
  readonly trailer: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const LATEST = '/$LATEST';

/** itemExplorationConfig (strings under the service's names) as poc.yaml's numbers. */
function explorationOf(config: Record<string, string> | undefined): Entry {
  const weight = config?.['explorationWeight'];
  const cutOff = config?.['explorationItemAgeCutOff'];
  const out: Entry = {
    ...(weight === undefined ? {} : { weight: Number(weight) }),
    ...(cutOff === undefined ? {} : { itemAgeCutOffDays: Number(cutOff) }),
  };
  return Object.keys(out).length === 0 ? {} : { itemExploration: out };
}

/**
 * Campaigns, filters, the event tracker and recommenders as poc.yaml sections, as they are:
 * provisioned TPS and a recommender's stopped state included, since adopting must not change
 * what bills. A campaign of a solution that was not adopted is left out with a warning.
 */
export function servingEntries(snapshot: GroupSnapshot, ctx: ServingContext): ServingEntries {
  const notes: Note[] = [];
  const trailer: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const base = ['datasetGroups', ctx.groupKey];
  const nameIf = (live: string, generated: string): Entry => (live === generated ? {} : { name: live });

  const campaigns: Entry = {};
  const campaignKeys = new Set<string>();
  for (const c of snapshot.campaigns) {
    const entry = campaignEntry(c, ctx);
    if (entry === undefined) {
      diagnostics.push(warning('campaign-not-adopted', `campaign "${c.name ?? '?'}" serves a solution that is not in poc.yaml; it is left out`, { hint: 'It stays in the account, unmanaged (and its provisioned TPS keeps billing).' }));
      trailer.push(`Not adopted: campaign "${c.name ?? '?'}" (its solution is not in poc.yaml; it keeps serving and billing, unmanaged).`);
      continue;
    }
    const key = memberKeyFor(ctx.pocName, ctx.groupKey, ctx.groupName, c.name ?? '', campaignKeys);
    campaignKeys.add(key);
    campaigns[key] = { ...nameIf(c.name ?? '', campaignName(ctx.pocName, ctx.groupKey, key)), ...entry };
    const tpsAt = entry['minProvisionedTPS'] === undefined ? 'solution' : 'minProvisionedTPS';
    notes.push({ path: [...base, 'campaigns', key, tpsAt], text: ' Provisioned TPS (minProvisionedTPS, default 1) bills every hour, as it did before adoption.' });
  }

  const filters: Entry = {};
  const filterKeys = new Set<string>();
  for (const f of snapshot.filters) {
    const key = memberKeyFor(ctx.pocName, ctx.groupKey, ctx.groupName, f.name ?? '', filterKeys);
    filterKeys.add(key);
    filters[key] = { ...nameIf(f.name ?? '', filterName(ctx.pocName, ctx.groupKey, key)), expression: f.filterExpression ?? '' };
  }

  const [tracker, ...extraTrackers] = snapshot.eventTrackers;
  for (const t of extraTrackers) {
    diagnostics.push(warning('event-tracker-not-adopted', `event tracker "${t.name ?? '?'}" is a second tracker of the group; poc.yaml declares one`));
    trailer.push(`Not adopted: event tracker "${t.name ?? '?'}" (poc.yaml declares one per group).`);
  }

  const recommenders: Entry = {};
  const recommenderKeys = new Set<string>();
  for (const r of snapshot.recommenders) {
    const recipe = r.recipeArn === undefined ? undefined : recipeNameOf(r.recipeArn);
    if (recipe === undefined) {
      diagnostics.push(warning('recommender-not-adopted', `recommender "${r.name ?? '?'}" has no recipe poc.yaml can name (${r.recipeArn ?? 'none'}); it is left out`));
      trailer.push(`Not adopted: recommender "${r.name ?? '?'}" (recipe ${r.recipeArn ?? 'none'}).`);
      continue;
    }
    const key = memberKeyFor(ctx.pocName, ctx.groupKey, ctx.groupName, r.name ?? '', recommenderKeys);
    recommenderKeys.add(key);
    recommenders[key] = { ...nameIf(r.name ?? '', recommenderName(ctx.pocName, ctx.groupKey, key)), ...recommenderEntry(r, recipe) };
  }

  const sections: Entry = {
    ...(Object.keys(campaigns).length === 0 ? {} : { campaigns }),
    ...(Object.keys(filters).length === 0 ? {} : { filters }),
    ...(tracker === undefined ? {} : { eventTracker: nameIf(tracker.name ?? '', eventTrackerName(ctx.pocName, ctx.groupKey)) }),
    ...(Object.keys(recommenders).length === 0 ? {} : { recommenders }),
  };
  return { sections, notes, trailer, diagnostics };
}

function campaignEntry(c: Campaign, ctx: ServingContext): Entry | undefined {
  const versionArn = c.solutionVersionArn ?? '';
  const solutionArn = versionArn.endsWith(LATEST) ? versionArn.slice(0, -LATEST.length) : solutionArnOfVersion(versionArn);
  const solution = ctx.solutions.get(solutionArn);
  if (solution === undefined) return undefined;
  const config = c.campaignConfig;
  return {
    solution,
    ...(c.minProvisionedTPS === undefined || c.minProvisionedTPS === 1 ? {} : { minProvisionedTPS: c.minProvisionedTPS }),
    // The service accepts exploration only on the recipes that explore, as the manifest does.
    ...explorationOf(config?.itemExplorationConfig),
    ...(config?.enableMetadataWithRecommendations === true ? { enableMetadataWithRecommendations: true } : {}),
    ...(config?.syncWithLatestSolutionVersion === true ? { syncWithLatestSolutionVersion: true } : {}),
  };
}

function recommenderEntry(r: Recommender, recipe: string): Entry {
  const config = r.recommenderConfig;
  const rps = config?.minRecommendationRequestsPerSecond;
  const stopped = r.status === 'INACTIVE' || r.status === 'STOP PENDING' || r.status === 'STOP IN_PROGRESS';
  return {
    recipe,
    ...(rps === undefined || rps === 1 ? {} : { minRequestsPerSecond: rps }),
    ...explorationOf(config?.itemExplorationConfig),
    ...(config?.enableMetadataWithRecommendations === true ? { enableMetadataWithRecommendations: true } : {}),
    ...trainingDataOf(config?.trainingDataConfig),
    ...(stopped ? { stopped: true } : {}),
  };
}
