import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserializeModel, type Model, type Recommendation } from '../../engine/index.ts';
import { CAMPAIGN } from './campaigns.ts';
import { RECIPES, type RecipeType } from './recipes.ts';
import { SOLUTION_VERSION, type JsonObject, type VersionArtifacts } from './solution-types.ts';
import type { ResourceRecord } from './store.ts';

/** Where records come from: the live Store or the runtime's view of the saved state. */
export interface RecordLookup {
  get(arn: string): ResourceRecord | undefined;
}

/**
 * A model ready to answer requests for `arn` (a campaign, a recommender, or any record carrying
 * `attrs.artifacts.model`, such as a solution version). `modelArn` is the record whose artifacts
 * are served: the campaign's current version, or the record itself.
 */
export interface ServingModel {
  readonly arn: string;
  readonly kind: string;
  readonly modelArn: string;
  readonly model: Model;
  readonly recipeName: string;
  readonly recipeType: RecipeType;
  readonly datasetGroupArn: string;
  /** A campaign's campaignConfig; `{}` for anything else. */
  readonly campaignConfig: JsonObject;
  /** `enableMetadataWithRecommendations` of the campaign's or recommender's configuration. */
  readonly metadataEnabled: boolean;
}

/** Why nothing can be served: no such resource, or one that exists but has no model to serve yet. */
export type ServingResult = { readonly ok: true; readonly serving: ServingModel } | { readonly ok: false; readonly reason: 'not-found' | 'not-ready'; readonly message: string };

interface ServableAttrs {
  readonly datasetGroupArn?: string;
  readonly recipeName?: string;
  readonly recipeArn?: string;
  readonly artifacts?: VersionArtifacts;
  readonly recommenderConfig?: JsonObject;
}

interface CampaignLike {
  readonly solutionVersionArn?: string;
  readonly campaignConfig?: JsonObject;
}

/** How many deserialized models stay in memory; model files never change, so entries never go stale. */
const CACHE_SIZE = 16;

/**
 * Resolves ARNs to loaded models, caching each model file once loaded (by path: a retrain writes
 * a new file, so a cached model is never out of date).
 */
export class ModelCache {
  private readonly models = new Map<string, Promise<Model | string>>();

  /** `dir` is the Personalize state directory that artifact paths are relative to. */
  constructor(private readonly dir: string) {}

  async resolve(records: RecordLookup, arn: string): Promise<ServingResult> {
    const record = records.get(arn);
    if (record === undefined || record.status?.startsWith('DELETE') === true) return { ok: false, reason: 'not-found', message: `Could not find ${kindName(arn)} with Arn ${arn}.` };
    let served = record as ResourceRecord<ServableAttrs>;
    let campaignConfig: JsonObject = {};
    if (record.kind === CAMPAIGN) {
      const attrs = record.attrs as CampaignLike;
      if (record.status !== 'ACTIVE' && record.status !== 'UPDATE PENDING' && record.status !== 'UPDATE IN_PROGRESS') {
        return { ok: false, reason: 'not-ready', message: `Campaign ${arn} is not active (status ${record.status ?? 'unknown'}).` };
      }
      const version = attrs.solutionVersionArn === undefined ? undefined : records.get(attrs.solutionVersionArn);
      if (version === undefined || version.kind !== SOLUTION_VERSION) return { ok: false, reason: 'not-ready', message: `Campaign ${arn} serves no trained solution version.` };
      served = version as ResourceRecord<ServableAttrs>;
      campaignConfig = attrs.campaignConfig ?? {};
    } else if (record.status !== undefined && record.status !== 'ACTIVE') {
      return { ok: false, reason: 'not-ready', message: `${capitalized(kindName(arn))} ${arn} is not active (status ${record.status}).` };
    }
    const file = served.attrs.artifacts?.model;
    if (file === undefined) return { ok: false, reason: 'not-ready', message: `${capitalized(kindName(served.arn))} ${served.arn} has no trained model.` };
    const model = await this.load(file);
    if (typeof model === 'string') return { ok: false, reason: 'not-ready', message: model };
    const recipeName = served.attrs.recipeName ?? served.attrs.recipeArn?.slice(served.attrs.recipeArn.lastIndexOf('/') + 1) ?? '';
    const recipeType = RECIPES.find((r) => r.name === recipeName)?.recipeType ?? recipeTypeOfFamily(model);
    return {
      ok: true,
      serving: {
        arn,
        kind: record.kind,
        modelArn: served.arn,
        model,
        recipeName,
        recipeType,
        datasetGroupArn: served.attrs.datasetGroupArn ?? '',
        campaignConfig,
        metadataEnabled: (campaignConfig.enableMetadataWithRecommendations ?? served.attrs.recommenderConfig?.enableMetadataWithRecommendations) === true,
      },
    };
  }

  private load(file: string): Promise<Model | string> {
    let entry = this.models.get(file);
    if (entry === undefined) {
      entry = readFile(join(this.dir, file)).then(
        (bytes) => {
          const loaded = deserializeModel(bytes);
          return loaded.ok ? loaded.value : loaded.failure.message;
        },
        (err: unknown) => `The model file ${file} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      );
      this.models.set(file, entry);
      if (this.models.size > CACHE_SIZE) this.models.delete(this.models.keys().next().value as string);
    } else {
      // Refresh its place: the least recently used model is the one evicted.
      this.models.delete(file);
      this.models.set(file, entry);
    }
    return entry;
  }
}

function recipeTypeOfFamily(model: Model): RecipeType {
  if (model.family === 'sims') return 'RELATED_ITEMS';
  if (model.family === 'popularity') return 'POPULAR_ITEMS';
  return 'USER_PERSONALIZATION';
}

/** `campaign`, `recommender`, `solution version`... from the ARN's resource type. */
function kindName(arn: string): string {
  const type = arn.split(':')[5]?.split('/')[0] ?? 'resource';
  return type.replaceAll('-', ' ');
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The first `k` recommendations that pass: asks the model for more each round until enough pass
 * or the catalogue is exhausted, so a strict filter still fills the list when it can. `fetch(n)`
 * must give the first n of one fixed order (the engine's top-k does), so the result is the first
 * `k` of that order that pass, however many rounds it took.
 */
export function firstPassing(fetch: (k: number) => Recommendation[], k: number, passes: ((id: string) => boolean) | undefined): Recommendation[] {
  if (passes === undefined) return fetch(k);
  for (let ask = k * 2 + 10; ; ask *= 4) {
    const got = fetch(ask);
    const kept = got.filter((r) => passes(r.itemId));
    if (kept.length >= k || got.length < ask) return kept.slice(0, k);
  }
}
