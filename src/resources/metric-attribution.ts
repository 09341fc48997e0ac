import {
  CreateMetricAttributionCommand,
  DeleteMetricAttributionCommand,
  DescribeMetricAttributionCommand,
  ListMetricAttributionMetricsCommand,
  ListMetricAttributionsCommand,
  UpdateMetricAttributionCommand,
  type MetricAttribute,
  type MetricAttributionSummary,
} from '@aws-sdk/client-personalize';
import { ENVIRONMENT_ADDRESS } from './addresses.ts';
import { forget } from './cache.ts';
import { signalOf } from './call-options.ts';
import { listOwnedGroups } from './dataset-group.ts';
import { dependencyOf } from './dependency.ts';
import { createOrAdopt, orUndefined } from './errors.ts';
import type { Json, KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { groupArnNamed, listDatasetGroups, memoisedList, paginate } from './personalize-lists.ts';
import { metricsJson, type MetricProps } from './metrics-json.ts';
import { personalizeReadiness } from './readiness.ts';

type Metric = MetricProps;

const keyAttributions = (groupArn: string): string => `personalize:ListMetricAttributions:${groupArn}`;

function listAttributions(ctx: KindContext, groupArn: string | undefined): Promise<MetricAttributionSummary[]> {
  return memoisedList(ctx, keyAttributions(groupArn ?? ''), async (page) => {
    const out = await ctx.clients.personalize.send(new ListMetricAttributionsCommand({ ...(groupArn === undefined ? {} : { datasetGroupArn: groupArn }), ...page }), signalOf(ctx));
    return { items: out.metricAttributions, nextToken: out.nextToken };
  });
}

function asMetrics(value: Json | undefined): Metric[] {
  return Array.isArray(value) ? (value as unknown as Metric[]) : [];
}

const toService = (m: Metric): MetricAttribute => ({ metricName: m.name, eventType: m.eventType, expression: m.expression });

/** The POC's default output location, `s3://<bucket>/<poc>/metrics/`, which the desired properties write as null. */
function defaultOutput(bucket: string, pocName: string): string {
  return `s3://${bucket}/${pocName}/metrics/`;
}

async function describe(ctx: KindContext, address: string, arn: string): Promise<ObservedResource | undefined> {
  const out = await orUndefined(ctx.clients.personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn: arn }), signalOf(ctx)));
  const m = out?.metricAttribution;
  if (m === undefined) return undefined;
  const metrics = await paginate(async (nextToken) => {
    const page = await ctx.clients.personalize.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn: arn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }), signalOf(ctx));
    return { items: page.metrics, nextToken: page.nextToken };
  });
  const groups = await listDatasetGroups(ctx);
  const group = groups.find((g) => g.datasetGroupArn === m.datasetGroupArn)?.name ?? null;
  const path = m.metricsOutputConfig?.s3DataDestination?.path ?? null;
  const status = m.status ?? 'UNKNOWN';
  return {
    address,
    kind: 'metricAttribution',
    name: m.name ?? '',
    id: arn,
    status,
    readiness: personalizeReadiness(status),
    ...(m.failureReason === undefined ? {} : { failureReason: m.failureReason }),
    properties: {
      datasetGroup: group,
      metrics: metricsJson(metrics.map((x) => ({ name: x.metricName ?? '', eventType: x.eventType ?? '', expression: x.expression ?? '' }))),
      output: path !== null && new RegExp(`^s3://[^/]+/${ctx.pocName}/metrics/?$`).test(path) ? null : path,
    },
    tags: {},
  };
}

/**
 * A dataset group's metric attribution, at `datasetGroup.<g>.metricAttribution`, named
 * `<poc>-<g>-metrics`. Properties `{datasetGroup, metrics, output}`: metrics (sorted by name) and
 * the output location change in place (UpdateMetricAttribution: changed metrics are removed and
 * added again in one call); the group replaces. `output: null` is the POC's bucket under
 * `<poc>/metrics/`. The service gives metric attributions no tags, so ownership is the name
 * prefix, as for schemas, inside a dataset group this POC owns, or the group alone when poc.yaml
 * adopted it under its console name. Observe: the group's ARN from the shared ListDatasetGroups,
 * its ListMetricAttributions, then Describe and ListMetricAttributionMetrics.
 */
export const metricAttributionKind: ResourceKind = {
  kind: 'metricAttribution',
  fields: {
    datasetGroup: { update: 'replace' },
    metrics: { update: 'in-place' },
    output: { update: 'in-place' },
  },
  deleteOrder: 45,
  supportsTags: false,
  parents: ['datasetGroup'],
  observeAfter: [],

  async observe(ctx, node) {
    const groupArn = await groupArnNamed(ctx, node.properties['datasetGroup']);
    if (groupArn === undefined) return undefined;
    const found = (await listAttributions(ctx, groupArn)).find((m) => m.name === node.name);
    return found?.metricAttributionArn === undefined ? undefined : describe(ctx, node.address, found.metricAttributionArn);
  },

  // No tags: ours are those in a dataset group that carries our tags, named with our prefix, or
  // with any name in a group poc.yaml adopted (the group is ours, and so is what is in it).
  async listOwned(ctx) {
    const prefix = `${ctx.pocName}-`;
    const groups = await listOwnedGroups(ctx);
    const addressOf = new Map(groups.map((g) => [g.name, `${g.address}.metricAttribution`]));
    const adopted = groups.filter((g) => !g.name.startsWith(prefix));
    // Without a group of ours there is nothing to find, so plans of a new POC spend no call here.
    const [named, inAdopted] = await Promise.all([
      adopted.length < groups.length ? listAttributions(ctx, undefined).then((all) => all.filter((m) => m.name?.startsWith(prefix) === true)) : [],
      Promise.all(adopted.map((g) => listAttributions(ctx, g.id))),
    ]);
    const arns = new Set([...named, ...inAdopted.flat()].flatMap((m) => (m.metricAttributionArn === undefined ? [] : [m.metricAttributionArn])));
    const found = await Promise.all([...arns].map((arn) => describe(ctx, '', arn)));
    return found.flatMap((m) => {
      const address = m === undefined ? undefined : addressOf.get(String(m.properties['datasetGroup']));
      return m === undefined || address === undefined ? [] : [{ ...m, address }];
    });
  },

  async create(ctx, node) {
    const group = dependencyOf(ctx, node, 'datasetGroup');
    const env = ctx.resolve(ENVIRONMENT_ADDRESS);
    const roleArn = env?.properties['roleArn'];
    const bucket = env?.properties['bucket'];
    if (group === undefined || typeof roleArn !== 'string' || typeof bucket !== 'string') throw new Error(`metric attribution ${node.name} needs its dataset group and the environment's bucket and role`);
    const output = node.properties['output'];
    await createOrAdopt(
      ctx.clients.personalize.send(
        new CreateMetricAttributionCommand({
          name: node.name,
          datasetGroupArn: group.id,
          metrics: asMetrics(node.properties['metrics']).map(toService),
          metricsOutputConfig: { roleArn, s3DataDestination: { path: typeof output === 'string' ? output : defaultOutput(bucket, ctx.pocName) } },
        }),
        signalOf(ctx),
      ),
    );
    forget(ctx, keyAttributions(group.id));
    const created = await metricAttributionKind.observe(ctx, node);
    if (created === undefined) throw new Error(`metric attribution ${node.name} was created but cannot be found`);
    return created;
  },

  async update(ctx, node, observed, fields) {
    const desired = asMetrics(node.properties['metrics']);
    const current = asMetrics(observed.properties['metrics']);
    const same = (a: Metric, b: Metric): boolean => a.name === b.name && a.eventType === b.eventType && a.expression === b.expression;
    const removeMetrics = current.filter((c) => !desired.some((d) => same(c, d))).map((c) => c.name);
    const addMetrics = desired.filter((d) => !current.some((c) => same(c, d))).map(toService);
    const env = ctx.resolve(ENVIRONMENT_ADDRESS);
    const roleArn = env?.properties['roleArn'];
    const bucket = env?.properties['bucket'];
    const output = node.properties['output'];
    const path = typeof output === 'string' ? output : typeof bucket === 'string' ? defaultOutput(bucket, ctx.pocName) : undefined;
    await ctx.clients.personalize.send(
      new UpdateMetricAttributionCommand({
        metricAttributionArn: observed.id,
        ...(fields.includes('metrics') && addMetrics.length > 0 ? { addMetrics } : {}),
        ...(fields.includes('metrics') && removeMetrics.length > 0 ? { removeMetrics } : {}),
        ...(fields.includes('output') && typeof roleArn === 'string' && path !== undefined ? { metricsOutputConfig: { roleArn, s3DataDestination: { path } } } : {}),
      }),
      signalOf(ctx),
    );
    return (await describe(ctx, observed.address, observed.id)) ?? observed;
  },

  async delete(ctx, observed) {
    await ctx.clients.personalize.send(new DeleteMetricAttributionCommand({ metricAttributionArn: observed.id }), signalOf(ctx));
    const group = observed.properties['datasetGroup'];
    if (typeof group === 'string') forget(ctx, keyAttributions((await groupArnNamed(ctx, group)) ?? ''));
  },

  refresh: (ctx, observed) => describe(ctx, observed.address, observed.id),
};
