import {
  CreateDatasetCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeSchemaCommand,
  UpdateDatasetCommand,
  type Dataset,
} from '@aws-sdk/client-personalize';
import { datasetArnOf, groupArnOfDataset, nameOfArn } from './arn.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt, orUndefined } from './errors.ts';
import type { DesiredNode, KindContext, ObservedResource, Props, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';
import { listOwnedInGroups, observedFromSummary } from './owned-in-groups.ts';
import { describeTagged, groupArnNamed, invalidate, listDatasets, restoreOwnerTags } from './personalize-lists.ts';
import { personalizeReadiness } from './readiness.ts';
import { schemaFieldsOfBody, schemaUpdateSemantics } from './schema-compatibility.ts';
import { toServiceTags } from './tags.ts';

/**
 * `known` holds a schema name and its fields already at hand (the desired node's, or the last
 * observation's): a schema name embeds its content hash, so the same name means the same fields.
 */
async function toObserved(ctx: KindContext, address: string, dataset: Dataset, tags: Record<string, string>, known?: Props): Promise<ObservedResource> {
  const status = dataset.status ?? 'UNKNOWN';
  const schema = dataset.schemaArn === undefined ? null : nameOfArn(dataset.schemaArn);
  let schemaFields = known !== undefined && known['schema'] === schema ? (known['schemaFields'] ?? null) : null;
  if (schemaFields === null && dataset.schemaArn !== undefined) {
    const live = await orUndefined(ctx.clients.personalize.send(new DescribeSchemaCommand({ schemaArn: dataset.schemaArn }), signalOf(ctx)));
    schemaFields = schemaFieldsOfBody(live?.schema?.schema ?? '');
  }
  const update = dataset.latestDatasetUpdate;
  const failureReason = update?.status?.includes('FAILED') === true ? update.failureReason : undefined;
  return {
    address,
    kind: 'dataset',
    name: dataset.name ?? '',
    id: dataset.datasetArn ?? '',
    status,
    readiness: personalizeReadiness(status),
    ...(failureReason === undefined ? {} : { failureReason }),
    properties: {
      datasetType: dataset.datasetType?.toUpperCase() ?? null,
      datasetGroup: dataset.datasetGroupArn === undefined ? null : nameOfArn(dataset.datasetGroupArn),
      schema,
      schemaFields,
    },
    tags,
  };
}

async function describe(ctx: KindContext, address: string, datasetArn: string, known?: Props, tags?: Record<string, string>): Promise<ObservedResource | undefined> {
  const { described, tags: liveTags } = await describeTagged(ctx, datasetArn, ctx.clients.personalize.send(new DescribeDatasetCommand({ datasetArn }), signalOf(ctx)), tags);
  return described?.dataset === undefined ? undefined : toObserved(ctx, address, described.dataset, liveTags, known);
}

function desiredType(node: DesiredNode): string {
  const t = node.properties['datasetType'];
  if (typeof t !== 'string') throw new Error(`dataset node ${node.address} has no datasetType`);
  return t;
}

/**
 * A dataset, at `datasetGroup.<g>.dataset.<key>`, named `<poc>-<g>-<key>`. Properties
 * `{datasetType, datasetGroup, schema, schemaFields}` (group and schema by name). Its ARN is
 * built from the group's, found by name in the shared ListDatasetGroups (`dataset-group/G` ->
 * `dataset/G/TYPE`), so observing costs DescribeDataset and ListTagsForResource, plus DescribeSchema of the live schema only when it is
 * not the desired one (what the in-place-or-replace decision needs).
 */
export const datasetKind: ResourceKind = {
  kind: 'dataset',
  fields: {
    datasetType: { update: 'replace' },
    datasetGroup: { update: 'replace' },
    schema: { update: schemaUpdateSemantics },
    schemaFields: { update: schemaUpdateSemantics },
  },
  deleteOrder: 60,
  supportsTags: true,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    if (groupArn === undefined) return undefined;
    return describe(ctx, node.address, datasetArnOf(groupArn, desiredType(node)), node.properties);
  },

  async listOwned(ctx) {
    const owned = await listOwnedInGroups(ctx, listDatasets, (d) => d.datasetArn, (d) => d.name ?? '');
    return owned.map((found) => {
      const type = found.summary.datasetType?.toUpperCase() ?? '';
      return observedFromSummary('dataset', `${found.group.address}.dataset.${type.toLowerCase()}`, found, { datasetType: type, datasetGroup: found.group.name });
    });
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    const schema = dependencyOf(ctx, node, 'schema');
    if (group === undefined || schema === undefined) throw new Error(`dataset ${node.name} needs its dataset group and schema to exist first`);
    await createOrAdopt(
      ctx.clients.personalize.send(
        new CreateDatasetCommand({
          name: node.name,
          datasetGroupArn: group.id,
          schemaArn: schema.id,
          datasetType: desiredType(node),
          tags: toServiceTags(ctx.ownerTags),
        }),
        signalOf(ctx),
      ),
    );
    invalidate.datasets(ctx, group.id);
    const created = await describe(ctx, node.address, datasetArnOf(group.id, desiredType(node)), node.properties);
    if (created === undefined) throw new Error(`dataset ${node.name} was created but cannot be found`);
    return created;
  },

  async update(ctx, node, observed, fields) {
    if (fields.includes('schema') || fields.includes('schemaFields')) {
      const schema = dependencyOf(ctx, node, 'schema');
      if (schema === undefined) throw new Error(`dataset ${node.name}: its new schema must exist before UpdateDataset`);
      await ctx.clients.personalize.send(new UpdateDatasetCommand({ datasetArn: observed.id, schemaArn: schema.id }), signalOf(ctx));
    }
    if (fields.includes('tags')) {
      await restoreOwnerTags(ctx, observed.id);
    }
    return (await describe(ctx, node.address, observed.id, node.properties)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteDatasetCommand({ datasetArn: observed.id }), signalOf(ctx));
    invalidate.datasets(ctx, groupArnOfDataset(observed.id));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id, observed.properties, observed.tags),
};
