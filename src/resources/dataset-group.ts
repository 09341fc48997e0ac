import {
  CreateDatasetGroupCommand,
  DeleteDatasetGroupCommand,
  DescribeDatasetGroupCommand,
  type DatasetGroup,
} from '@aws-sdk/client-personalize';
import { memo } from './cache.ts';
import { ENVIRONMENT_ADDRESS, groupAddress } from './addresses.ts';
import { isAlreadyExists, orUndefined } from './errors.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';
import { invalidate, listDatasetGroups, listTags, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { isOwned, toServiceTags } from './tags.ts';

function fromGroup(address: string, group: DatasetGroup, tags: Record<string, string>): ObservedResource {
  const status = group.status ?? 'UNKNOWN';
  return {
    address,
    kind: 'datasetGroup',
    name: group.name ?? '',
    id: group.datasetGroupArn ?? '',
    status,
    readiness: personalizeReadiness(status),
    ...(group.failureReason === undefined ? {} : { failureReason: group.failureReason }),
    properties: { domain: group.domain ?? null, kmsKeyArn: group.kmsKeyArn ?? null },
    tags,
  };
}

async function describe(ctx: KindContext, address: string, datasetGroupArn: string, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  // Both calls need only the ARN: one round trip instead of two (plan latency is per round trip).
  const [out, liveTags] = await Promise.all([
    orUndefined(ctx.clients.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn }), signalOf(ctx))),
    tags === undefined ? orUndefined(listTags(ctx, datasetGroupArn)) : Promise.resolve(tags),
  ]);
  if (out?.datasetGroup === undefined) return undefined;
  return fromGroup(address, out.datasetGroup, liveTags ?? {});
}

async function findByName(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined> {
  const summary = (await listDatasetGroups(ctx)).find((g) => g.name === node.name);
  return summary?.datasetGroupArn === undefined ? undefined : describe(ctx, node.address, summary.datasetGroupArn);
}

/**
 * Whether a listed group may be this POC's, before its tags say: named `<poc>-...`, or declared in
 * poc.yaml under another name (adopted by `poc import`). Only such groups cost a tag read.
 */
export function mayOwnGroup(ctx: KindContext, name: string | undefined): boolean {
  return name !== undefined && (name.startsWith(`${ctx.pocName}-`) || ctx.declaredGroups?.has(name) === true);
}

/**
 * Memoised: every child kind's listOwned needs the owned groups too. The memo key names the
 * declared groups outside the prefix, so contexts declaring different groups never share a result.
 */
export function listOwnedGroups(ctx: KindContext): Promise<ObservedResource[]> {
  const prefix = `${ctx.pocName}-`;
  const adopted = [...(ctx.declaredGroups?.keys() ?? [])].filter((name) => !name.startsWith(prefix)).sort();
  return memo(ctx, ['personalize:owned-dataset-groups', ...adopted].join('\u0000'), async () => {
    const candidates = (await listDatasetGroups(ctx)).filter((g) => g.datasetGroupArn !== undefined && mayOwnGroup(ctx, g.name));
    const tagsOf = await Promise.all(candidates.map(async (g) => (await orUndefined(listTags(ctx, g.datasetGroupArn ?? ''))) ?? {}));
    const found: ObservedResource[] = [];
    for (const [i, g] of candidates.entries()) {
      const tags = tagsOf[i] ?? {};
      if (g.datasetGroupArn === undefined || g.name === undefined || !isOwned(ctx, tags)) continue;
      const status = g.status ?? 'UNKNOWN';
      found.push({
        address: ctx.declaredGroups?.get(g.name) ?? groupAddress(g.name.slice(prefix.length)),
        kind: 'datasetGroup',
        name: g.name,
        id: g.datasetGroupArn,
        status,
        readiness: personalizeReadiness(status),
        ...(g.failureReason === undefined ? {} : { failureReason: g.failureReason }),
        properties: { domain: g.domain ?? null },
        tags,
      });
    }
    return found;
  });
}

/**
 * A dataset group, at `datasetGroup.<g>`, named `<poc>-<g>`. Properties `{domain, kmsKeyArn}`
 * (null when unset), both fixed at creation. With a KMS key, the group gets the environment's
 * role, which the service needs to use the key. Observe: the shared ListDatasetGroups, then
 * DescribeDatasetGroup and ListTagsForResource.
 */
export const datasetGroupKind: ResourceKind = {
  kind: 'datasetGroup',
  fields: {
    domain: { update: 'replace' },
    kmsKeyArn: { update: 'replace' },
  },
  deleteOrder: 80,
  supportsTags: true,
  // The environment it may depend on (for a KMS key's role) is not where it lives.
  parents: [],
  observeAfter: [],

  observe: findByName,
  listOwned: listOwnedGroups,

  async create(ctx, node) {
    const domain = node.properties['domain'];
    const kmsKeyArn = node.properties['kmsKeyArn'];
    const roleArn = ctx.resolve(ENVIRONMENT_ADDRESS)?.properties['roleArn'];
    try {
      const out = await ctx.clients.personalize.send(
        new CreateDatasetGroupCommand({
          name: node.name,
          ...(typeof domain === 'string' ? { domain: domain as 'ECOMMERCE' | 'VIDEO_ON_DEMAND' } : {}),
          ...(typeof kmsKeyArn === 'string' ? { kmsKeyArn, ...(typeof roleArn === 'string' ? { roleArn } : {}) } : {}),
          tags: toServiceTags(ctx.ownerTags),
        }),
        signalOf(ctx),
      );
      invalidate.groups(ctx);
      const created = out.datasetGroupArn === undefined ? undefined : await describe(ctx, node.address, out.datasetGroupArn, { ...ctx.ownerTags });
      if (created !== undefined) return created;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      invalidate.groups(ctx);
    }
    const adopted = await findByName(ctx, node);
    if (adopted === undefined) throw new Error(`dataset group ${node.name} was created but cannot be found`);
    return adopted;
  },

  async update(ctx, node, observed, fields) {
    if (fields.includes('tags')) {
      await restoreOwnerTags(ctx, observed.id);
    }
    return (await describe(ctx, node.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: observed.id }), signalOf(ctx));
    invalidate.groups(ctx);
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.tags),
};
