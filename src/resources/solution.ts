import {
  CreateSolutionCommand,
  DeleteSolutionCommand,
  DescribeSolutionCommand,
  StopSolutionVersionCreationCommand,
  UpdateSolutionCommand,
  type Solution,
  type SolutionConfig,
} from '@aws-sdk/client-personalize';
import { arnInAccountOf, nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt, errorName, orUndefined } from './errors.ts';
import type { ChangeDetail, DesiredNode, KindContext, ObservedResource, Props, ResourceKind } from './kind.ts';
import { keyInGroup, listOwnedInGroups, observedFromSummary } from './owned-in-groups.ts';
import { describeTagged, groupArnNamed, restoreOwnerTags } from './personalize-lists.ts';
import { pollUntil } from './poll.ts';
import { personalizeReadiness, readinessWithUpdate } from './readiness.ts';
import { compact } from './solution-config.ts';
import { describedSolution, invalidateSolutions, listSolutions, listSolutionVersions } from './solution-lists.ts';
import { toServiceTags } from './tags.ts';

/** `...:dataset-group/G` -> `...:solution/NAME`: a solution's ARN carries only its own name. */
export function solutionArnOf(groupArn: string, solutionName: string): string {
  return arnInAccountOf(groupArn, 'solution', solutionName);
}

/** The solution part of a version ARN (`...:solution/NAME/8hex`). */
export function solutionArnOfVersion(versionArn: string): string {
  return versionArn.slice(0, versionArn.lastIndexOf('/'));
}

/** Observed properties in the compiler's shape (see solution-config.ts). */
export function solutionPropertiesOf(solution: Solution): Props {
  const config: SolutionConfig = solution.solutionConfig ?? {};
  // The service turns automatic training on unless told otherwise.
  const auto = solution.performAutoTraining ?? true;
  return {
    datasetGroup: solution.datasetGroupArn === undefined ? null : nameOfArn(solution.datasetGroupArn),
    recipe: solution.recipeArn ?? null,
    eventType: solution.eventType ?? null,
    performHPO: solution.performHPO ?? false,
    hpoConfig: compact(config.hpoConfig),
    eventValueThreshold: config.eventValueThreshold ?? null,
    algorithmHyperParameters: compact(config.algorithmHyperParameters),
    featureTransformationParameters: compact(config.featureTransformationParameters),
    trainingDataConfig: compact(config.trainingDataConfig),
    performAutoTraining: auto,
    autoTrainingSchedule: auto ? (config.autoTrainingConfig?.schedulingExpression ?? 'rate(7 days)') : null,
  };
}

function toObserved(address: string, solution: Solution, tags: Record<string, string>): ObservedResource {
  const { status, readiness, failureReason } = readinessWithUpdate(solution.status ?? 'UNKNOWN', solution.latestSolutionUpdate, 'UpdateSolution');
  return {
    address,
    kind: 'solution',
    name: solution.name ?? '',
    id: solution.solutionArn ?? '',
    status,
    readiness,
    ...(failureReason === undefined ? {} : { failureReason }),
    properties: solutionPropertiesOf(solution),
    tags,
  };
}

async function describe(ctx: KindContext, address: string, solutionArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, solutionArn, ctx.clients.personalize.send(new DescribeSolutionCommand({ solutionArn }), signalOf(ctx)), tags);
  return described?.solution === undefined ? undefined : toObserved(address, described.solution, liveTags);
}

function str(props: Props, field: string): string | undefined {
  const v = props[field];
  return typeof v === 'string' ? v : undefined;
}

function map(props: Props, field: string): Record<string, string> | undefined {
  const v = props[field];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : undefined;
}

function autoTrainingConfig(props: Props): { autoTrainingConfig?: { schedulingExpression: string } } {
  const schedule = str(props, 'autoTrainingSchedule');
  return props['performAutoTraining'] === true && schedule !== undefined ? { autoTrainingConfig: { schedulingExpression: schedule } } : {};
}

function createCommand(node: DesiredNode, groupArn: string, ownerTags: Readonly<Record<string, string>>): CreateSolutionCommand {
  const p = node.properties;
  const hpo = p['hpoConfig'];
  const trainingData = p['trainingDataConfig'];
  const solutionConfig = compact({
    eventValueThreshold: str(p, 'eventValueThreshold'),
    hpoConfig: hpo,
    algorithmHyperParameters: map(p, 'algorithmHyperParameters'),
    featureTransformationParameters: map(p, 'featureTransformationParameters'),
    trainingDataConfig: trainingData,
    ...autoTrainingConfig(p),
  });
  const eventType = str(p, 'eventType');
  return new CreateSolutionCommand({
    name: node.name,
    datasetGroupArn: groupArn,
    recipeArn: str(p, 'recipe'),
    performHPO: p['performHPO'] === true,
    // Always explicit: the service's default is on, and automatic versions bill.
    performAutoTraining: p['performAutoTraining'] === true,
    ...(eventType === undefined ? {} : { eventType }),
    ...(solutionConfig === null ? {} : { solutionConfig: solutionConfig as SolutionConfig }),
    tags: toServiceTags(ownerTags),
  });
}

/** Running versions block DeleteSolution: stop them, then wait until none is left running. */
async function stopRunningVersions(ctx: KindContext, solutionArn: string): Promise<void> {
  const running = (await listSolutionVersions(ctx, solutionArn, true)).filter((v) => personalizeReadiness(v.status ?? '') === 'pending' && v.status?.includes('STOPP') !== true);
  for (const v of running) {
    if (v.solutionVersionArn === undefined) continue;
    await orUndefined(ctx.clients.personalize.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: v.solutionVersionArn }), signalOf(ctx)));
  }
  if (running.length === 0) return;
  await pollUntil(
    () => listSolutionVersions(ctx, solutionArn, true),
    (versions) => versions.every((v) => v.status === 'ACTIVE' || v.status?.includes('FAILED') === true || v.status === 'CREATE STOPPED'),
    { signal: ctx.signal, what: `the versions of ${nameOfArn(solutionArn)} to stop` },
  );
}

function describeAutoTraining(node: DesiredNode): ChangeDetail {
  const on = node.properties['performAutoTraining'] === true;
  const title = on
    ? `Automatic training is ON (${str(node.properties, 'autoTrainingSchedule') ?? 'rate(7 days)'}): the service trains and bills a new version on that schedule`
    : 'Automatic training is OFF (performAutoTraining=false is sent explicitly; the service would otherwise turn it on and bill a version every 7 days)';
  return { title, rows: [] };
}

/**
 * A solution, at `datasetGroup.<g>.solution.<s>`, named `<poc>-<g>-<s>`. Its training settings
 * (recipe, eventType, HPO, solutionConfig) are fixed by the service, so a change replaces it and,
 * through the plan's cascade, everything trained from it; automatic training and its schedule
 * change in place with UpdateSolution. `performAutoTraining` is always sent explicitly. Observe:
 * DescribeSolution on the ARN derived from the group's (found by name in the shared
 * ListDatasetGroups; memoised, its version reads it too), alongside ListTagsForResource.
 */
export const solutionKind: ResourceKind = {
  kind: 'solution',
  fields: {
    datasetGroup: { update: 'replace' },
    recipe: { update: 'replace' },
    eventType: { update: 'replace' },
    performHPO: { update: 'replace' },
    hpoConfig: { update: 'replace' },
    eventValueThreshold: { update: 'replace' },
    algorithmHyperParameters: { update: 'replace' },
    featureTransformationParameters: { update: 'replace' },
    trainingDataConfig: { update: 'replace' },
    performAutoTraining: { update: 'in-place' },
    autoTrainingSchedule: { update: 'in-place' },
  },
  deleteOrder: 30,
  supportsTags: true,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    if (groupArn === undefined) return undefined;
    const arn = solutionArnOf(groupArn, node.name);
    // The memoised Describe: the version's observe reads the same one (its latestSolutionVersion).
    const { described, tags } = await describeTagged(ctx, arn, describedSolution(ctx, arn));
    return described === undefined ? undefined : toObserved(node.address, described, tags);
  },

  async listOwned(ctx) {
    const owned = await listOwnedInGroups(ctx, listSolutions, (s) => s.solutionArn, (s) => s.name);
    return owned.map((found) => observedFromSummary('solution', `${found.group.address}.solution.${keyInGroup(found.group.name, found.name)}`, found, { datasetGroup: found.group.name }));
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    if (group === undefined) throw new Error(`solution ${node.name} needs its dataset group to exist first`);
    await createOrAdopt(ctx.clients.personalize.send(createCommand(node, group.id, ctx.ownerTags), signalOf(ctx)));
    invalidateSolutions.solutions(ctx, group.id);
    invalidateSolutions.described(ctx, solutionArnOf(group.id, node.name));
    const created = await describe(ctx, node.address, solutionArnOf(group.id, node.name));
    if (created === undefined) throw new Error(`solution ${node.name} was created but cannot be found`);
    return created;
  },

  async update(ctx, node, observed, fields) {
    if (fields.includes('performAutoTraining') || fields.includes('autoTrainingSchedule')) {
      const config = autoTrainingConfig(node.properties);
      await ctx.clients.personalize.send(
        new UpdateSolutionCommand({
          solutionArn: observed.id,
          performAutoTraining: node.properties['performAutoTraining'] === true,
          ...(config.autoTrainingConfig === undefined ? {} : { solutionUpdateConfig: config }),
        }),
        signalOf(ctx),
      );
    }
    if (fields.includes('tags')) {
      await restoreOwnerTags(ctx, observed.id);
    }
    invalidateSolutions.described(ctx, observed.id);
    return (await describe(ctx, node.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    try {
      await ctx.clients.personalize.send(new DeleteSolutionCommand({ solutionArn: observed.id }), signalOf(ctx));
    } catch (err) {
      if (errorName(err) !== 'ResourceInUseException') throw err;
      await stopRunningVersions(ctx, observed.id);
      await ctx.clients.personalize.send(new DeleteSolutionCommand({ solutionArn: observed.id }), signalOf(ctx));
    }
    invalidateSolutions.described(ctx, observed.id);
    const group = observed.properties['datasetGroup'];
    if (typeof group === 'string') invalidateSolutions.solutions(ctx, arnInAccountOf(observed.id, 'dataset-group', group));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),

  async describeChange(_ctx, node) {
    return describeAutoTraining(node);
  },
};
