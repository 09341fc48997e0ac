import { getDatasetGroup } from './dataset-groups.ts';
import { PersonalizeError, inUse, invalidInput, notFound } from './errors.ts';
import { updatePhases } from './lifecycle.ts';
import { beginCreate, beginDelete, newRecord, requireActive, statusFields, type KindModule, type ServiceState } from './operation.ts';
import { listRecords } from './pagination.ts';
import { ARN, MAX_RESULTS, NAME, NEXT_TOKEN, required, structure, type Shape } from './shapes.ts';
import type { ResourceRecord } from './store.ts';
import { METRIC_OUTPUT, type MetricAttribute, type MetricAttributionAttrs, type MetricsOutputConfig } from './metric-attribution-shapes.ts';

export const METRIC_ATTRIBUTION = 'metricAttribution';

/** Per metric attribution (facts section 8). */
const MAX_METRICS = 10;
/**
 * `SUM(<dataset>.<column>)` over the Interactions or Items dataset, or `SAMPLECOUNT()`: the two
 * functions the API reference documents for a metric's expression.
 */
const EXPRESSION = /^\s*(?:SUM\(\s*(?:INTERACTIONS|ITEMS)\.[A-Za-z_][A-Za-z0-9_]*\s*\)|SAMPLECOUNT\(\s*\))\s*$/i;

const METRIC: Shape = structure({
  eventType: required({ type: 'string', max: 256 }),
  metricName: required({ type: 'string', max: 256 }),
  expression: required({ type: 'string', max: 256 }),
});
const METRICS: Shape = { type: 'list', max: MAX_METRICS, member: METRIC };

function getAttribution(state: ServiceState, arn: string): ResourceRecord<MetricAttributionAttrs> {
  const record = state.store.find<MetricAttributionAttrs>(METRIC_ATTRIBUTION, arn);
  if (record === undefined) throw notFound('metric attribution', arn);
  return record;
}

function metricsOf(raw: unknown): MetricAttribute[] {
  const metrics = ((raw ?? []) as MetricAttribute[]).map((m) => ({ eventType: m.eventType, metricName: m.metricName, expression: m.expression }));
  for (const m of metrics) {
    if (!EXPRESSION.test(m.expression)) throw invalidInput(`Metric ${m.metricName} has expression ${m.expression}; use SUM(Interactions.<column>), SUM(Items.<column>) or SAMPLECOUNT().`);
  }
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.metricName)) throw invalidInput(`Metric name ${m.metricName} appears more than once.`);
    names.add(m.metricName);
  }
  return metrics;
}

function outputOf(raw: unknown): MetricsOutputConfig {
  const { roleArn, s3DataDestination } = raw as MetricsOutputConfig;
  return { roleArn, ...(s3DataDestination === undefined ? {} : { s3DataDestination }) };
}

function summary(record: ResourceRecord<MetricAttributionAttrs>): Record<string, unknown> {
  return { name: record.name, metricAttributionArn: record.arn, ...statusFields(record) };
}

/**
 * Metric attributions: one per dataset group, no tags (the model gives them none). Update adds
 * and removes metrics by name and replaces the output configuration, passing through UPDATE
 * PENDING and UPDATE IN_PROGRESS like the service's other in-place updates.
 */
export const metricAttributionsModule: KindModule = {
  kind: METRIC_ATTRIBUTION,
  operations: {
    CreateMetricAttribution: {
      input: structure({ name: required(NAME), datasetGroupArn: required(ARN), metrics: required(METRICS), metricsOutputConfig: required(METRIC_OUTPUT) }),
      run(state, input) {
        const group = getDatasetGroup(state, input.string('datasetGroupArn'));
        const metrics = metricsOf(input.raw['metrics']);
        const attrs: MetricAttributionAttrs = { datasetGroupArn: group.arn, metrics, metricsOutputConfig: outputOf(input.raw['metricsOutputConfig']) };
        const name = input.string('name');
        const record = newRecord(state, METRIC_ATTRIBUTION, state.arn(`metric-attribution/${name}`), name, attrs, []);
        requireActive(group, 'dataset group');
        const existing = state.store.list<MetricAttributionAttrs>(METRIC_ATTRIBUTION).find((m) => m.attrs.datasetGroupArn === group.arn);
        if (existing !== undefined) throw new PersonalizeError('ResourceAlreadyExistsException', `Dataset group ${group.arn} already has metric attribution ${existing.arn}.`);
        beginCreate(state, record);
        state.store.save();
        return { metricAttributionArn: record.arn };
      },
    },
    DescribeMetricAttribution: {
      input: structure({ metricAttributionArn: required(ARN) }),
      run(state, input) {
        const record = getAttribution(state, input.string('metricAttributionArn'));
        return { metricAttribution: { ...summary(record), datasetGroupArn: record.attrs.datasetGroupArn, metricsOutputConfig: record.attrs.metricsOutputConfig } };
      },
    },
    ListMetricAttributions: {
      input: structure({ datasetGroupArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run: (state, input) => listRecords<MetricAttributionAttrs>(state, input, { operation: 'ListMetricAttributions', kind: METRIC_ATTRIBUTION, parent: 'datasetGroupArn', key: 'metricAttributions' }, summary),
    },
    ListMetricAttributionMetrics: {
      input: structure({ metricAttributionArn: ARN, nextToken: NEXT_TOKEN, maxResults: MAX_RESULTS }),
      run(state, input) {
        const arn = input.optString('metricAttributionArn');
        const metrics = arn === undefined ? state.store.list<MetricAttributionAttrs>(METRIC_ATTRIBUTION).flatMap((m) => m.attrs.metrics) : getAttribution(state, arn).attrs.metrics;
        const max = input.optInteger('maxResults') ?? 100;
        const start = Number(input.optString('nextToken') ?? '0');
        if (!Number.isInteger(start) || start < 0 || start > metrics.length) throw new PersonalizeError('InvalidNextTokenException', 'The next token is not valid.');
        const end = start + max;
        return { metrics: metrics.slice(start, end), ...(end < metrics.length ? { nextToken: String(end) } : {}) };
      },
    },
    UpdateMetricAttribution: {
      input: structure({ addMetrics: METRICS, removeMetrics: { type: 'list', max: MAX_METRICS, member: { type: 'string', max: 256 } }, metricsOutputConfig: METRIC_OUTPUT, metricAttributionArn: ARN }),
      run(state, input) {
        const arn = input.optString('metricAttributionArn');
        if (arn === undefined) throw invalidInput('metricAttributionArn is required.');
        const record = getAttribution(state, arn);
        if (record.status !== 'ACTIVE') throw inUse(`Metric attribution ${record.arn} is in status ${record.status ?? 'unknown'}; it must be ACTIVE to update.`);
        const remove = new Set((input.raw['removeMetrics'] ?? []) as string[]);
        for (const name of remove) if (!record.attrs.metrics.some((m) => m.metricName === name)) throw invalidInput(`Metric attribution ${record.arn} has no metric named ${name}.`);
        const added = metricsOf(input.raw['addMetrics']);
        const kept = record.attrs.metrics.filter((m) => !remove.has(m.metricName));
        for (const m of added) {
          if (kept.some((k) => k.metricName === m.metricName)) throw new PersonalizeError('ResourceAlreadyExistsException', `Metric attribution ${record.arn} already has a metric named ${m.metricName}.`);
        }
        const metrics = [...kept, ...added];
        if (metrics.length > MAX_METRICS) throw new PersonalizeError('LimitExceededException', `A metric attribution has at most ${MAX_METRICS} metrics; this update would give it ${metrics.length}.`);
        const output = input.raw['metricsOutputConfig'];
        record.attrs = { ...record.attrs, metrics, ...(output === undefined ? {} : { metricsOutputConfig: outputOf(output) }) };
        state.lifecycle.begin(record, updatePhases(state.ctx.durations.update), { type: 'status', status: 'ACTIVE' });
        state.store.save();
        return { metricAttributionArn: record.arn };
      },
    },
    DeleteMetricAttribution: {
      input: structure({ metricAttributionArn: required(ARN) }),
      run(state, input) {
        beginDelete(state, getAttribution(state, input.string('metricAttributionArn')), 'metric attribution');
        state.store.save();
        return {};
      },
    },
  },
};

