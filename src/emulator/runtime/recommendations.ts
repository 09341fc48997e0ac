import { randomUUID } from 'node:crypto';
import { bindFilter, parseFilterExpression, type FilterExpression } from '../../filter-expression/index.ts';
import type { Recommendation } from '../../engine/index.ts';
import { FILTER } from '../personalize/filters.ts';
import { firstPassing, type ModelCache, type ServingModel } from '../personalize/serving-model.ts';
import type { FilterDataCache } from './filter-data.ts';
import type { Members } from './members.ts';
import { invalid, RuntimeError } from './protocol.ts';
import type { StateView } from './state-view.ts';

/** What the runtime handlers share: the saved control-plane state, loaded models, filter data. */
export interface RuntimeState {
  /** The Personalize state directory. */
  readonly dir: string;
  readonly view: StateView;
  readonly models: ModelCache;
  readonly data: FilterDataCache;
  /** Parsed filter expressions by their text: a filter is immutable, so its parse never changes. */
  readonly expressions: Map<string, FilterExpression>;
}

const DEFAULT_NUM_RESULTS = 25;
const MAX_NUM_RESULTS = 500;
/** Recipe types whose answers carry scores; the service leaves them out for the others. */
const SCORED = new Set(['USER_PERSONALIZATION', 'PERSONALIZED_RANKING']);

interface PredictedItem {
  readonly itemId: string;
  readonly score?: number;
  readonly metadata?: Record<string, string>;
}

/** GetRecommendations: a user's recommendations, or an item's related items, through an optional filter. */
export async function getRecommendations(rt: RuntimeState, m: Members): Promise<object> {
  const campaignArn = m.optString('campaignArn');
  const recommenderArn = m.optString('recommenderArn');
  if ((campaignArn === undefined) === (recommenderArn === undefined)) throw invalid('campaignArn', 'give exactly one of campaignArn and recommenderArn');
  const userId = m.optString('userId');
  const itemId = m.optString('itemId');
  const numResults = m.optNumber('numResults') ?? DEFAULT_NUM_RESULTS;
  if (!Number.isInteger(numResults) || numResults < 1 || numResults > MAX_NUM_RESULTS) throw invalid('numResults', `must be a whole number from 1 to ${MAX_NUM_RESULTS}`);
  m.optStringMap('context');
  if (m.optJsonValue('promotions') !== undefined) throw invalid('promotions', 'the emulator does not support promotions');
  const serving = await servingOf(rt, (campaignArn ?? recommenderArn) as string);
  const { model, recipeType } = serving;
  if (recipeType === 'PERSONALIZED_RANKING') throw invalid('campaignArn', `${serving.arn} uses a personalized-ranking recipe: call GetPersonalizedRanking`);
  if (recipeType === 'RELATED_ITEMS' && itemId === undefined) throw invalid('itemId', `is required: ${serving.arn} recommends items related to an item`);
  if (recipeType === 'USER_PERSONALIZATION' && userId === undefined) throw invalid('userId', `is required: ${serving.arn} recommends items for a user`);
  const passes = await filterOf(rt, m, serving, { userId, itemId });
  const fetch = (k: number): Recommendation[] => (recipeType === 'RELATED_ITEMS' ? model.relatedItems(itemId as string, k) : model.recommend(userId ?? '', k));
  const items = firstPassing(fetch, numResults, passes);
  return { itemList: await predicted(rt, m, serving, items), recommendationId: `RID-${randomUUID()}` };
}

/** GetPersonalizedRanking: the input list re-ordered for the user, minus what the filter removes. */
export async function getPersonalizedRanking(rt: RuntimeState, m: Members): Promise<object> {
  const campaignArn = m.string('campaignArn');
  const inputList = m.optStringList('inputList', MAX_NUM_RESULTS);
  if (inputList === undefined || inputList.length === 0) throw invalid('inputList', 'is required and holds 1 to 500 item ids');
  const userId = m.string('userId');
  m.optStringMap('context');
  const serving = await servingOf(rt, campaignArn);
  if (serving.recipeType !== 'PERSONALIZED_RANKING') throw invalid('campaignArn', `${campaignArn} does not use a personalized-ranking recipe: call GetRecommendations`);
  const passes = await filterOf(rt, m, serving, { userId, itemId: undefined });
  const ranked = serving.model.rank(userId, inputList).filter((r) => passes?.(r.itemId) ?? true);
  return { personalizedRanking: await predicted(rt, m, serving, ranked), recommendationId: `RID-${randomUUID()}` };
}

async function servingOf(rt: RuntimeState, arn: string): Promise<ServingModel> {
  const resolved = await rt.models.resolve(rt.view, arn);
  if (!resolved.ok) throw new RuntimeError(resolved.reason === 'not-found' ? 'ResourceNotFoundException' : 'InvalidInputException', resolved.message);
  return resolved.serving;
}

/** The request's filter as a predicate over item ids; undefined without one. */
async function filterOf(rt: RuntimeState, m: Members, serving: ServingModel, who: { userId: string | undefined; itemId: string | undefined }): Promise<((id: string) => boolean) | undefined> {
  const filterArn = m.optString('filterArn');
  const filterValues = m.optStringMap('filterValues');
  if (filterArn === undefined) return undefined;
  const record = rt.view.get(filterArn);
  if (record?.kind !== FILTER || record.status?.startsWith('DELETE') === true) throw new RuntimeError('ResourceNotFoundException', `Could not find filter with Arn ${filterArn}.`);
  const attrs = record.attrs as { datasetGroupArn: string; filterExpression: string };
  if (record.status !== 'ACTIVE') throw invalid('filterArn', `filter ${filterArn} is not active (status ${record.status ?? 'unknown'})`);
  if (attrs.datasetGroupArn !== serving.datasetGroupArn) throw invalid('filterArn', `filter ${filterArn} belongs to ${attrs.datasetGroupArn}, not to the dataset group of ${serving.arn}`);
  let expression = rt.expressions.get(attrs.filterExpression);
  if (expression === undefined) {
    const result = parseFilterExpression(attrs.filterExpression);
    if (!result.ok) throw invalid('filterArn', `the filter's expression does not parse: ${result.message}`);
    expression = result.expression;
    rt.expressions.set(attrs.filterExpression, expression);
  }
  if (expression.target !== 'ItemID') throw invalid('filterArn', `filter ${filterArn} selects ${expression.target === 'UserID' ? 'users' : 'actions'}, not items`);
  const data = await rt.data.forExpression(rt.view, serving.datasetGroupArn, expression);
  const bound = bindFilter(expression, data, {
    ...(who.userId === undefined ? {} : { userId: who.userId }),
    ...(who.itemId === undefined ? {} : { itemId: who.itemId }),
    ...(filterValues === undefined ? {} : { filterValues }),
  });
  if (!bound.ok) throw invalid('filterValues', bound.message);
  return bound.passes;
}

/** Items as the API returns them: scores for scored recipes, metadata columns when asked for. */
async function predicted(rt: RuntimeState, m: Members, serving: ServingModel, items: readonly Recommendation[]): Promise<PredictedItem[]> {
  const columns = metadataColumns(m, serving);
  const scored = SCORED.has(serving.recipeType);
  const data = columns.length === 0 ? undefined : await rt.data.forGroup(rt.view, serving.datasetGroupArn, { interactions: false, items: true, users: false });
  return items.map((r) => {
    const item: { itemId: string; score?: number; metadata?: Record<string, string> } = { itemId: r.itemId };
    if (scored) item.score = Math.round(r.score * 1e7) / 1e7;
    if (data !== undefined) {
      const row = data.item(r.itemId);
      item.metadata = Object.fromEntries(columns.map((c) => [c, row?.[c.toUpperCase()] ?? '']));
    }
    return item;
  });
}

/** `metadataColumns.ITEMS`, allowed only when the campaign or recommender enables metadata. */
function metadataColumns(m: Members, serving: ServingModel): string[] {
  const value = m.optJsonValue('metadataColumns');
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('metadataColumns', 'must map a dataset type to column names');
  const items = (value as Record<string, unknown>)['ITEMS'] ?? (value as Record<string, unknown>)['Items'];
  if (items === undefined) return [];
  if (!Array.isArray(items) || items.some((c) => typeof c !== 'string')) throw invalid('metadataColumns.ITEMS', 'must be a list of column names');
  if (serving.metadataEnabled !== true) throw invalid('metadataColumns', `${serving.arn} does not have enableMetadataWithRecommendations set`);
  return items as string[];
}
