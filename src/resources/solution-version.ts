import { CreateSolutionVersionCommand, DescribeSolutionVersionCommand, type SolutionVersion, type SolutionVersionSummary } from '@aws-sdk/client-personalize';
import { nameOfArn } from './arn.ts';
import { signalOf } from './call-options.ts';
import { dependencyOf } from './dependency.ts';
import { orUndefined } from './errors.ts';
import type { ChangeDetail, DesiredNode, KindContext, ObservedResource, Readiness, ResourceKind } from './kind.ts';
import { listDatasetGroups, listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { solutionArnOf, solutionArnOfVersion } from './solution.ts';
import { describedSolution, invalidateSolutions, listSolutionVersions, newestManual } from './solution-lists.ts';
import { toServiceTags } from './tags.ts';

/** The fingerprint of the data and training settings a version was trained on. */
export const TAG_DATA_FINGERPRINT = 'poc:data-fingerprint';

/** Desired `retrain` value under the `always` policy: no version ever reports it, so each plan trains. */
export const RETRAIN_EVERY_APPLY = 'every-apply';

/** A stopped version never becomes ACTIVE: for planning it is as good as failed. */
function readinessOf(status: string): Readiness {
  if (status === 'CREATE STOPPED') return 'failed';
  return personalizeReadiness(status);
}

function toObserved(address: string, version: SolutionVersionSummary | SolutionVersion, tags: Record<string, string>): ObservedResource {
  const status = version.status ?? 'UNKNOWN';
  const arn = version.solutionVersionArn ?? '';
  const failureReason = version.failureReason ?? (status === 'CREATE STOPPED' ? 'training was stopped' : undefined);
  return {
    address,
    kind: 'solutionVersion',
    // Versions have no name of their own in poc.yaml: they go by their solution's.
    name: nameOfArn(solutionArnOfVersion(arn)),
    id: arn,
    status,
    readiness: readinessOf(status),
    ...(failureReason === undefined ? {} : { failureReason }),
    properties: { solution: nameOfArn(solutionArnOfVersion(arn)), dataFingerprint: tags[TAG_DATA_FINGERPRINT] ?? null },
    tags,
  };
}

async function observedNewest(ctx: KindContext, address: string, versions: readonly SolutionVersionSummary[]): Promise<ObservedResource | undefined> {
  const newest = newestManual(versions);
  if (newest?.solutionVersionArn === undefined) return undefined;
  const tags = (await orUndefined(listTags(ctx, newest.solutionVersionArn))) ?? {};
  return toObserved(address, newest, tags);
}

/** For create: the solution as the executor resolved it, its versions as they are now when `fresh`. */
async function observeNewest(ctx: KindContext, node: DesiredNode, fresh: boolean): Promise<ObservedResource | undefined> {
  const solution = dependencyOf(ctx, node, 'solution');
  if (solution === undefined) return undefined;
  return observedNewest(ctx, node.address, await listSolutionVersions(ctx, solution.id, fresh));
}

/**
 * For plan: a solution is named `<group name>-<key>` (manifest/naming.ts) and its ARN is
 * `solution/NAME` in its group's account and region, so with no such group in the shared
 * ListDatasetGroups there is nothing to call. The solution's memoised DescribeSolution (which
 * its own observe makes) names its latest version; only when that one was trained automatically
 * does finding the newest manual one take ListSolutionVersions. No need to wait for the
 * solution's observation.
 */
async function observeFromLists(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined> {
  const solution = node.properties['solution'];
  if (typeof solution !== 'string') return undefined;
  // The compiler names the group; an adopted solution's name need not start with it.
  const group = node.inputs?.['datasetGroup'];
  const groups = await listDatasetGroups(ctx);
  const groupArn = (group === undefined ? groups.find((g) => g.name !== undefined && solution.startsWith(`${g.name}-`)) : groups.find((g) => g.name === group))?.datasetGroupArn;
  if (groupArn === undefined) return undefined;
  const solutionArn = solutionArnOf(groupArn, solution);
  const latest = (await describedSolution(ctx, solutionArn))?.latestSolutionVersion;
  if (latest === undefined) return undefined;
  const versions = latest.trainingType === 'AUTOMATIC' ? await orUndefined(listSolutionVersions(ctx, solutionArn)) : [latest];
  return versions === undefined ? undefined : observedNewest(ctx, node.address, versions);
}

async function describe(ctx: KindContext, address: string, arn: string, tags: Record<string, string>): Promise<ObservedResource | undefined> {
  const out = await orUndefined(ctx.clients.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn: arn }), signalOf(ctx)));
  return out?.solutionVersion === undefined ? undefined : toObserved(address, out.solutionVersion, tags);
}

export type RetrainPolicyInput = 'on-data-change' | 'manual' | 'always';

function policyOf(node: DesiredNode): RetrainPolicyInput {
  const p = node.inputs?.['retrainPolicy'];
  return p === 'manual' || p === 'always' ? p : 'on-data-change';
}

/**
 * What a crashed or racing run may already have started for this intent: the newest version,
 * when it is not failed and matches (same fingerprint; under `manual` any version; under
 * `always` only one still training, since a finished one is the previous apply's).
 */
function adoptable(current: ObservedResource | undefined, fingerprint: string, policy: RetrainPolicyInput): boolean {
  if (current === undefined || current.readiness === 'failed') return false;
  if (policy === 'manual') return true;
  if (current.properties['dataFingerprint'] !== fingerprint) return false;
  return policy === 'on-data-change' || current.readiness === 'pending';
}

function describePolicy(node: DesiredNode): ChangeDetail {
  const fingerprint = node.inputs?.['dataFingerprint'] ?? '';
  const short = fingerprint.replace(/^sha256:/, '').slice(0, 12);
  const policy = policyOf(node);
  const title =
    policy === 'always'
      ? `Retrain policy always: trains a new version on every apply (data fingerprint ${short})`
      : policy === 'manual'
        ? `Retrain policy manual: trains only because the solution has no version yet (data fingerprint ${short})`
        : `Retrain policy on-data-change: trains on data fingerprint ${short}`;
  return { title, rows: [] };
}

/**
 * The newest version of a solution, at `datasetGroup.<g>.solution.<s>.version`. Properties
 * `{solution, dataFingerprint}` (plus `retrain` under the `always` policy), the fingerprint read
 * from the version's `poc:data-fingerprint` tag: a hash of the group's imported data and the
 * solution's training settings. Every field is create-only: a new fingerprint trains a new version
 * and the old ones stay (the service has no DeleteSolutionVersion). Under `manual` the desired
 * node carries no fingerprint, so any existing version satisfies it. Create adopts a version a
 * crashed run already started for the same fingerprint instead of training twice. Versions the
 * service trained by itself (automatic training) are not what poc.yaml asked for and are skipped.
 * Observe: the solution's latest version from its memoised DescribeSolution (its ARN derived from
 * the shared ListDatasetGroups; ListSolutionVersions only when that version was automatic) plus
 * one ListTagsForResource.
 */
export const solutionVersionKind: ResourceKind = {
  kind: 'solutionVersion',
  fields: {
    solution: { update: 'create-only' },
    dataFingerprint: { update: 'create-only', content: 'data' },
    retrain: { update: 'create-only' },
  },
  deleteOrder: 25,
  quota: 'training',
  supportsTags: true,
  deletion: 'none',
  parents: ['solution'],
  observeAfter: [],

  observe: observeFromLists,

  // Versions are history that goes with its solution: nothing to prune.
  async listOwned() {
    return [];
  },

  async create(ctx, node) {
    const solution = dependencyOf(ctx, node, 'solution');
    const fingerprint = node.inputs?.['dataFingerprint'];
    if (solution === undefined || fingerprint === undefined) throw new Error(`solution version of ${node.name} needs its solution and a data fingerprint`);
    const current = await observeNewest(ctx, node, true);
    if (adoptable(current, fingerprint, policyOf(node))) return current as ObservedResource;
    const tags = { ...ctx.ownerTags, [TAG_DATA_FINGERPRINT]: fingerprint };
    const out = await ctx.clients.personalize.send(
      new CreateSolutionVersionCommand({ solutionArn: solution.id, trainingMode: 'FULL', tags: toServiceTags(tags) }),
      signalOf(ctx),
    );
    invalidateSolutions.versions(ctx, solution.id);
    const created = out.solutionVersionArn === undefined ? undefined : await describe(ctx, node.address, out.solutionVersionArn, tags);
    if (created === undefined) throw new Error(`a version of ${node.name} was created but cannot be found`);
    return created;
  },

  // Only ownership tags can change on a version (every field is create-only).
  async update(ctx, _node, observed, fields) {
    if (fields.includes('tags')) {
      await restoreOwnerTags(ctx, observed.id);
    }
    return { ...observed, tags: { ...observed.tags, ...ctx.ownerTags } };
  },

  async delete() {
    // No DeleteSolutionVersion exists; `deletion: 'none'` keeps the engine from planning one.
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),

  async describeChange(_ctx, node) {
    return describePolicy(node);
  },
};
