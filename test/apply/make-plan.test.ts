import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import { makePlan } from '../../src/apply/make-plan.ts';
import { revalidatePlan } from '../../src/apply/revalidate.ts';
import type { ResourceKind } from '../../src/resources/kind.ts';
import { sampleGraph } from '../plan/builders.ts';
import { FakeCloud, fakeContext, fakeRegistry } from './fake-cloud.ts';

const OPTIONS = { manifestPath: 'poc.yaml', manifestDigest: 'sha256:a', pocName: 'demo', target: { region: 'us-east-1' }, prune: false, now: new Date(0), toolVersion: '0.1.0' };

describe('makePlan', () => {
  it('attaches the kind detail to changes that act, and only to them', async () => {
    const cloud = new FakeCloud();
    const kinds = fakeRegistry(cloud);
    const env = kinds.environment as ResourceKind;
    const asked: string[] = [];
    const withDetail: ResourceKind = {
      ...env,
      describeChange: async (_ctx, node, observed) => {
        asked.push(node.address);
        return { title: 'CloudFormation change set', rows: [{ action: observed === undefined ? 'Add' : 'Modify', logicalId: 'DataBucket' }] };
      },
    };
    const { plan } = await makePlan(sampleGraph(), { ...kinds, environment: withDetail }, fakeContext(), OPTIONS);
    expect(plan.changes.find((c) => c.address === 'environment')?.details).toEqual([{ title: 'CloudFormation change set', rows: [{ action: 'Add', logicalId: 'DataBucket' }] }]);

    await applyPlan(plan, sampleGraph(), kinds, fakeContext(), { poll: { initialMs: 1, maxMs: 1 } });
    asked.length = 0;
    const again = await makePlan(sampleGraph(), { ...kinds, environment: withDetail }, fakeContext(), OPTIONS);
    expect(asked).toEqual([]);
    expect(again.plan.changes.every((c) => c.details === undefined)).toBe(true);
  });

  it('revalidates a saved plan against the account before apply', async () => {
    const cloud = new FakeCloud();
    const kinds = fakeRegistry(cloud);
    const { plan } = await makePlan(sampleGraph(), kinds, fakeContext(), OPTIONS);
    expect((await revalidatePlan(plan, sampleGraph(), kinds, fakeContext(), 'sha256:a')).stale).toEqual([]);
    cloud.seed({ kind: 'datasetGroup', address: 'datasetGroup.baseline', name: 'demo-baseline', properties: { domain: 'ECOMMERCE' } });
    const { stale } = await revalidatePlan(plan, sampleGraph(), kinds, fakeContext(), 'sha256:a');
    expect(stale.map((s) => s.message)).toEqual(['datasetGroup.baseline: was absent, now exists.']);
  });
});
