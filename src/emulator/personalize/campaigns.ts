import { CREATE_CAMPAIGN, UPDATE_CAMPAIGN } from './campaign-shapes.ts';
import { inUse, invalidInput, notFound, PersonalizeError } from './errors.ts';
import type { Phase } from './lifecycle.ts';
import { beginCreate, beginDelete, newRecord, statusFields, type Input, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { epochSeconds } from './protocol.ts';
import { ARN, MAX_RESULTS, NEXT_TOKEN, required, structure } from './shapes.ts';
import { getSolution, getSolutionVersion, SOLUTION_VERSION, versionsOf, type JsonObject, type SolutionVersionAttrs } from './solution-types.ts';
import type { ResourceRecord, ResourceStatus } from './store.ts';
import { mergeTags } from './tags.ts';

export const CAMPAIGN = 'campaign';

/** The adjustable quota of campaigns per dataset group (facts section 8). */
const MAX_CAMPAIGNS_PER_GROUP = 5;
const LATEST = '/$LATEST';
/** Recipes whose campaigns explore new items (campaignConfig.itemExplorationConfig). */
const EXPLORING_RECIPES: ReadonlySet<string> = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);
const EXPLORATION_KEYS: ReadonlySet<string> = new Set(['explorationWeight', 'explorationItemAgeCutOff']);

/** What a campaign serves: one version, its TPS floor and its configuration. */
export interface CampaignDeployment {
  /** Always a concrete version ARN, `$LATEST` resolved. */
  readonly solutionVersionArn: string;
  readonly minProvisionedTPS: number;
  readonly campaignConfig: JsonObject;
  /** Whether the request named `{solutionArn}/$LATEST`, which `syncWithLatestSolutionVersion` needs. */
  readonly latest: boolean;
}

/**
 * The latest UpdateCampaign. Invariant: while `status` is not ACTIVE the campaign has a
 * transition and still serves its previous deployment; when the transition settles the deployment
 * below replaces the campaign's and `status` becomes ACTIVE.
 */
export interface CampaignUpdate extends CampaignDeployment {
  status: ResourceStatus;
  readonly createdAt: number;
  updatedAt: number;
}

/**
 * A campaign. The runtime reads `solutionArn`, `solutionVersionArn` (the version served now),
 * `minProvisionedTPS` and `campaignConfig`; keep those names. `latestUpdate` exists only after the
 * first UpdateCampaign, as the service's `latestCampaignUpdate` does.
 */
export interface CampaignAttrs {
  readonly solutionArn: string;
  solutionVersionArn: string;
  minProvisionedTPS: number;
  campaignConfig: JsonObject;
  latest: boolean;
  latestUpdate?: CampaignUpdate;
}

export function getCampaign(state: ServiceState, arn: string): ResourceRecord<CampaignAttrs> {
  const record = state.store.find<CampaignAttrs>(CAMPAIGN, arn);
  if (record === undefined) throw notFound('campaign', arn);
  return record;
}

function newestActiveVersion(state: ServiceState, solutionArn: string): ResourceRecord<SolutionVersionAttrs> | undefined {
  return versionsOf(state, solutionArn).filter((v) => v.status === 'ACTIVE').at(-1);
}

/** A version ARN or `{solutionArn}/$LATEST` to the ACTIVE version it names, or the service's error. */
function resolveVersion(state: ServiceState, arn: string): { version: ResourceRecord<SolutionVersionAttrs>; latest: boolean } {
  if (arn.endsWith(LATEST)) {
    const solution = getSolution(state, arn.slice(0, -LATEST.length));
    const version = newestActiveVersion(state, solution.arn);
    if (version === undefined) throw inUse(`Solution ${solution.arn} has no ACTIVE solution version to deploy.`);
    return { version, latest: true };
  }
  const version = getSolutionVersion(state, arn);
  if (version.status !== 'ACTIVE') throw inUse(`Solution version ${arn} is in status ${version.status ?? 'unknown'}; a campaign needs an ACTIVE solution version.`);
  return { version, latest: false };
}

/** The rules of campaignConfig that its shape cannot express. */
function checkConfig(config: JsonObject, version: ResourceRecord<SolutionVersionAttrs>, latest: boolean): void {
  if (config.syncWithLatestSolutionVersion === true && !latest) {
    throw invalidInput('syncWithLatestSolutionVersion requires the solution version ARN in the form {solutionArn}/$LATEST.');
  }
  const exploration = config.itemExplorationConfig as Record<string, string> | undefined;
  if (exploration === undefined) return;
  if (!EXPLORING_RECIPES.has(version.attrs.recipeName)) {
    throw invalidInput(`itemExplorationConfig is only supported for User-Personalization recipes; ${version.arn} uses ${version.attrs.recipeName}.`);
  }
  for (const [key, value] of Object.entries(exploration)) {
    if (!EXPLORATION_KEYS.has(key)) throw invalidInput(`Unknown itemExplorationConfig key ${key}; use explorationWeight or explorationItemAgeCutOff.`);
    const n = Number(value);
    const ok = key === 'explorationWeight' ? value.trim() !== '' && n >= 0 && n <= 1 : Number.isFinite(n) && n >= 1;
    if (!ok) throw invalidInput(`Invalid itemExplorationConfig ${key}=${value}: explorationWeight is 0 to 1, explorationItemAgeCutOff at least 1 (days).`);
  }
}

function summary(record: ResourceRecord<CampaignAttrs>): Record<string, unknown> {
  return { name: record.name, campaignArn: record.arn, ...statusFields(record) };
}

function describe(record: ResourceRecord<CampaignAttrs>): Record<string, unknown> {
  const a = record.attrs;
  const update = a.latestUpdate;
  return {
    ...summary(record),
    solutionVersionArn: a.solutionVersionArn,
    minProvisionedTPS: a.minProvisionedTPS,
    campaignConfig: a.campaignConfig,
    ...(update === undefined
      ? {}
      : {
          latestCampaignUpdate: {
            solutionVersionArn: update.solutionVersionArn,
            minProvisionedTPS: update.minProvisionedTPS,
            campaignConfig: update.campaignConfig,
            status: update.status,
            creationDateTime: epochSeconds(update.createdAt),
            lastUpdatedDateTime: epochSeconds(update.updatedAt),
          },
        }),
  };
}

/**
 * Starts deploying `next`. The campaign keeps its own status (ACTIVE) and serves the previous
 * deployment meanwhile, so the transition's phases repeat the current status; the update's own
 * progress is mirrored into `latestUpdate` by the kind's hooks. The caller saves.
 */
function beginUpdate(state: ServiceState, record: ResourceRecord<CampaignAttrs>, next: CampaignDeployment): void {
  const now = state.ctx.now();
  record.attrs.latestUpdate = { ...next, status: 'CREATE PENDING', createdAt: now, updatedAt: now };
  const ms = state.ctx.durations.campaign;
  const keep = record.status ?? 'ACTIVE';
  const phases: Phase[] = [
    { status: keep, ms: ms / 2 },
    { status: keep, ms: ms / 2 },
  ];
  state.lifecycle.begin(record, phases, { type: 'status', status: 'ACTIVE' });
}

function updating(record: ResourceRecord<CampaignAttrs>): boolean {
  const status = record.attrs.latestUpdate?.status;
  return status !== undefined && status !== 'ACTIVE';
}

/**
 * Campaigns with `syncWithLatestSolutionVersion` move to a newer ACTIVE version of their solution
 * by themselves, as an ordinary update. Runs before every campaign operation and whenever a
 * solution version settles. Returns whether anything started; the caller saves.
 */
export function followLatestVersions(state: ServiceState): boolean {
  let started = false;
  for (const record of state.store.list<CampaignAttrs>(CAMPAIGN)) {
    const a = record.attrs;
    if (!a.latest || a.campaignConfig.syncWithLatestSolutionVersion !== true || record.status !== 'ACTIVE' || updating(record)) continue;
    const newest = newestActiveVersion(state, a.solutionArn);
    if (newest === undefined || newest.arn === a.solutionVersionArn) continue;
    beginUpdate(state, record, { solutionVersionArn: newest.arn, minProvisionedTPS: a.minProvisionedTPS, campaignConfig: a.campaignConfig, latest: true });
    started = true;
  }
  return started;
}

function groupOfSolution(state: ServiceState, solutionArn: string): string {
  return getSolution(state, solutionArn).attrs.datasetGroupArn;
}

function checkQuota(state: ServiceState, solutionArn: string): void {
  const group = groupOfSolution(state, solutionArn);
  const inGroup = state.store
    .list<CampaignAttrs>(CAMPAIGN)
    .filter((c) => !c.status?.startsWith('DELETE') && state.store.get(c.attrs.solutionArn) !== undefined && groupOfSolution(state, c.attrs.solutionArn) === group);
  if (inGroup.length >= MAX_CAMPAIGNS_PER_GROUP) {
    throw new PersonalizeError('LimitExceededException', `Cannot create a campaign. More than ${MAX_CAMPAIGNS_PER_GROUP} resources in ACTIVE state in dataset group ${group}.`);
  }
}

function config(input: Input): JsonObject | undefined {
  return input.raw.campaignConfig as JsonObject | undefined;
}

export const campaignsModule: KindModule = {
  kind: CAMPAIGN,
  hooks: (state) => {
    return {
      // A version turning ACTIVE is the solution versions' event: the runtime reads the saved state,
      // so synced campaigns must move without waiting for a control-plane call (the engine saves).
      onAnySettled(record) {
        if (record.kind === SOLUTION_VERSION && record.status === 'ACTIVE') followLatestVersions(state);
      },
      onStatus(raw) {
        const record = raw as ResourceRecord<CampaignAttrs>;
        const update = record.attrs.latestUpdate;
        if (update === undefined || !updating(record) || record.transition === undefined) return;
        update.status = record.transition.steps.length > 0 ? 'CREATE PENDING' : 'CREATE IN_PROGRESS';
        update.updatedAt = record.updatedAt;
      },
      onSettled(raw) {
        const record = raw as ResourceRecord<CampaignAttrs>;
        const update = record.attrs.latestUpdate;
        if (update === undefined || !updating(record)) return;
        const a = record.attrs;
        a.solutionVersionArn = update.solutionVersionArn;
        a.minProvisionedTPS = update.minProvisionedTPS;
        a.campaignConfig = update.campaignConfig;
        a.latest = update.latest;
        update.status = 'ACTIVE';
        update.updatedAt = record.updatedAt;
      },
    };
  },
  operations: {
    CreateCampaign: {
      input: CREATE_CAMPAIGN,
      run(state, input) {
        const name = input.string('name');
        const { version, latest } = resolveVersion(state, input.string('solutionVersionArn'));
        const campaignConfig = config(input) ?? {};
        checkConfig(campaignConfig, version, latest);
        const attrs: CampaignAttrs = {
          solutionArn: version.attrs.solutionArn,
          solutionVersionArn: version.arn,
          minProvisionedTPS: input.optInteger('minProvisionedTPS') ?? 1,
          campaignConfig,
          latest,
        };
        const record = newRecord(state, CAMPAIGN, state.arn(`campaign/${name}`), name, attrs, mergeTags([], input.tags()));
        checkQuota(state, attrs.solutionArn);
        beginCreate(state, record, state.ctx.durations.campaign);
        state.store.save();
        return { campaignArn: record.arn };
      },
    },
    DescribeCampaign: {
      input: structure({ campaignArn: required(ARN) }),
      run(state, input) {
        if (followLatestVersions(state)) state.store.save();
        return { campaign: describe(getCampaign(state, input.string('campaignArn'))) };
      },
    },
    ListCampaigns: {
      input: structure({ solutionArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run(state, input) {
        if (followLatestVersions(state)) state.store.save();
        return listRecords<CampaignAttrs>(state, input, { operation: 'ListCampaigns', kind: CAMPAIGN, parent: 'solutionArn', key: 'campaigns' }, summary);
      },
    },
    UpdateCampaign: {
      input: UPDATE_CAMPAIGN,
      run(state, input) {
        const record = getCampaign(state, input.string('campaignArn'));
        if (record.status !== 'ACTIVE' && record.status !== 'CREATE FAILED') {
          throw inUse(`Campaign ${record.arn} is in status ${record.status ?? 'unknown'}; it can be updated only when ACTIVE or CREATE FAILED.`);
        }
        if (updating(record)) throw inUse(`Campaign ${record.arn} has an update in progress.`);
        const a = record.attrs;
        const requested = input.optString('solutionVersionArn');
        const { version, latest } = requested === undefined ? { version: getSolutionVersion(state, a.solutionVersionArn), latest: a.latest } : resolveVersion(state, requested);
        if (version.attrs.solutionArn !== a.solutionArn) {
          throw invalidInput(`Solution version ${version.arn} belongs to ${version.attrs.solutionArn}; campaign ${record.arn} serves ${a.solutionArn}.`);
        }
        const campaignConfig = config(input) ?? a.campaignConfig;
        checkConfig(campaignConfig, version, latest);
        beginUpdate(state, record, { solutionVersionArn: version.arn, minProvisionedTPS: input.optInteger('minProvisionedTPS') ?? a.minProvisionedTPS, campaignConfig, latest });
        state.store.save();
        return { campaignArn: record.arn };
      },
    },
    DeleteCampaign: {
      input: structure({ campaignArn: required(ARN) }),
      run(state, input) {
        const record = getCampaign(state, input.string('campaignArn'));
        if (updating(record)) throw inUse(`Campaign ${record.arn} has an update in progress; wait for it to finish.`);
        beginDelete(state, record, 'campaign');
        state.store.save();
        return {};
      },
    },
  },
};
