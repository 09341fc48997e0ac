import {
  CreateMetricAttributionCommand,
  DeleteDatasetGroupCommand,
  DeleteMetricAttributionCommand,
  DescribeMetricAttributionCommand,
  ListMetricAttributionMetricsCommand,
  ListMetricAttributionsCommand,
  ListTagsForResourceCommand,
  UpdateMetricAttributionCommand,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGroup, errorOf, startHarness, waitFor, type Harness } from './personalize-helpers.ts';
import { ROLE } from './personalize-solutions-helpers.ts';

const PURCHASES = { eventType: 'purchase', metricName: 'revenue', expression: 'SUM(Items.PRICE)' };
const CLICKS = { eventType: 'click', metricName: 'clicks', expression: 'SAMPLECOUNT()' };
const OUTPUT = { roleArn: ROLE, s3DataDestination: { path: 's3://bucket/shop/metrics/' } };

describe('metric attributions', () => {
  let h: Harness;
  let groupArn: string;
  const describeIt = (metricAttributionArn: string) => h.personalize.send(new DescribeMetricAttributionCommand({ metricAttributionArn }));

  beforeAll(async () => {
    h = await startHarness({ durations: { create: 400, update: 1000, delete: 400 } });
    groupArn = await activeGroup(h.personalize, 'shop');
  }, 20_000);
  afterAll(async () => {
    await h.dispose();
  });

  it('creates one per dataset group, lists it and its metrics, and has no tags', async () => {
    const { metricAttributionArn = '' } = await h.personalize.send(new CreateMetricAttributionCommand({ name: 'shop-metrics', datasetGroupArn: groupArn, metrics: [PURCHASES], metricsOutputConfig: OUTPUT }));
    expect(metricAttributionArn).toBe('arn:aws:personalize:us-east-1:000000000000:metric-attribution/shop-metrics');
    expect((await describeIt(metricAttributionArn)).metricAttribution?.status).toMatch(/^CREATE (PENDING|IN_PROGRESS)$/);
    const { metricAttribution } = await waitFor(() => describeIt(metricAttributionArn), (r) => r.metricAttribution?.status === 'ACTIVE');
    expect(metricAttribution).toMatchObject({ name: 'shop-metrics', datasetGroupArn: groupArn, metricsOutputConfig: OUTPUT });
    const listed = await h.personalize.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }));
    expect(listed.metricAttributions?.map((m) => [m.name, m.status])).toEqual([['shop-metrics', 'ACTIVE']]);
    expect((await h.personalize.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn }))).metrics).toEqual([PURCHASES]);
    const second = await errorOf(h.personalize.send(new CreateMetricAttributionCommand({ name: 'shop-metrics-2', datasetGroupArn: groupArn, metrics: [CLICKS], metricsOutputConfig: OUTPUT })));
    expect(second.name).toBe('ResourceAlreadyExistsException');
    expect((await errorOf(h.personalize.send(new ListTagsForResourceCommand({ resourceArn: metricAttributionArn })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses a malformed expression and more than 10 metrics', async () => {
    const other = await activeGroup(h.personalize, 'other');
    const bad = await errorOf(h.personalize.send(new CreateMetricAttributionCommand({ name: 'other-m', datasetGroupArn: other, metrics: [{ ...PURCHASES, expression: 'AVG(Items.PRICE)' }], metricsOutputConfig: OUTPUT })));
    expect(bad.name).toBe('InvalidInputException');
    expect(bad.message).toContain('SAMPLECOUNT()');
    const many = Array.from({ length: 11 }, (_, i) => ({ ...CLICKS, metricName: `m${i}` }));
    expect((await errorOf(h.personalize.send(new CreateMetricAttributionCommand({ name: 'other-m', datasetGroupArn: other, metrics: many, metricsOutputConfig: OUTPUT })))).name).toBe('ValidationException');
  });

  it('updates metrics and output in place, then blocks its group until deleted', async () => {
    const arn = (await h.personalize.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }))).metricAttributions?.[0]?.metricAttributionArn ?? '';
    const newOutput = { roleArn: ROLE, s3DataDestination: { path: 's3://bucket/elsewhere/' } };
    await h.personalize.send(new UpdateMetricAttributionCommand({ metricAttributionArn: arn, addMetrics: [CLICKS], removeMetrics: ['revenue'], metricsOutputConfig: newOutput }));
    expect((await describeIt(arn)).metricAttribution?.status).toMatch(/^UPDATE (PENDING|IN_PROGRESS)$/);
    const busy = await errorOf(h.personalize.send(new UpdateMetricAttributionCommand({ metricAttributionArn: arn, removeMetrics: ['clicks'] })));
    expect(busy.name).toBe('ResourceInUseException');
    const { metricAttribution } = await waitFor(() => describeIt(arn), (r) => r.metricAttribution?.status === 'ACTIVE');
    expect(metricAttribution?.metricsOutputConfig).toEqual(newOutput);
    expect((await h.personalize.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn: arn }))).metrics).toEqual([CLICKS]);
    const unknown = await errorOf(h.personalize.send(new UpdateMetricAttributionCommand({ metricAttributionArn: arn, removeMetrics: ['nope'] })));
    expect(unknown.name).toBe('InvalidInputException');

    expect((await errorOf(h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn })))).name).toBe('ResourceInUseException');
    await h.personalize.send(new DeleteMetricAttributionCommand({ metricAttributionArn: arn }));
    expect((await describeIt(arn)).metricAttribution?.status).toMatch(/^DELETE (PENDING|IN_PROGRESS)$/);
    await waitFor(
      () => errorOf(describeIt(arn)).catch(() => ({ name: 'still there', message: '' })),
      (e) => e.name === 'ResourceNotFoundException',
    );
    await h.personalize.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn }));
  });
});
