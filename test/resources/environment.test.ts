import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateChangeSetCommand, DescribeChangeSetCommand, ExecuteChangeSetCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareNode } from '../../src/plan/compare.ts';
import { compileDesiredGraph } from '../../src/plan/compile.ts';
import type { DesiredNode, ObservedResource } from '../../src/resources/kind.ts';
import { environmentTemplate } from '../../src/resources/environment-template.ts';
import { pollUntil } from '../../src/resources/poll.ts';
import { KINDS } from '../../src/resources/registry.ts';
import { gone, interactionsCsv, settle, startHarness, type Harness } from './harness.ts';
import { datasetSpec, groupSpec, INTERACTIONS_FIELDS, manifestOf, schemaSpec, sha } from './manifest-fixture.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const env = KINDS.environment;

function graphFor(poc: string, dataPath: string, kmsKeyArn?: string) {
  const manifest = manifestOf({
    name: poc,
    environment: { mode: 'stack', stackName: `${poc}-env`, ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }) },
    schemas: [schemaSpec('interactions', 'INTERACTIONS', INTERACTIONS_FIELDS)],
    groups: [groupSpec('main', { interactions: { ...datasetSpec('interactions', 'interactions', 'data/i.csv'), data: dataPath } })],
  });
  return compileDesiredGraph(manifest, { dataHashes: new Map([[dataPath, sha(interactionsCsv(1000))]]) });
}

function at(nodes: readonly DesiredNode[], address: string): DesiredNode {
  const n = nodes.find((x) => x.address === address);
  if (n === undefined) throw new Error(address);
  return n;
}

describe('environment stack against the emulator', () => {
  it('plans, creates, observes, updates through a change set, and deletes the stack with its bucket', async () => {
    const dataPath = join(h.dir, 'env-i.csv');
    writeFileSync(dataPath, interactionsCsv(1000));
    const graph = graphFor('envpoc', dataPath);
    const node = at(graph.nodes, 'environment');
    const ctx = h.context('envpoc');

    h.resetCalls();
    expect(await env.observe(ctx, node)).toBeUndefined();
    const absentPlan = await env.describeChange?.(ctx, node, undefined);
    expect(h.calls.get('CloudFormation:DescribeStacksCommand')).toBe(1);
    expect(h.totalCalls()).toBe(1);
    expect(absentPlan?.rows).toEqual([
      { Action: 'Add', LogicalResourceId: 'DataBucket', ResourceType: 'AWS::S3::Bucket', Replacement: '' },
      { Action: 'Add', LogicalResourceId: 'DataBucketPolicy', ResourceType: 'AWS::S3::BucketPolicy', Replacement: '' },
      { Action: 'Add', LogicalResourceId: 'PersonalizeRole', ResourceType: 'AWS::IAM::Role', Replacement: '' },
    ]);

    const created = await settle(env, ctx, await env.create(ctx, node));
    expect(created).toMatchObject({ status: 'CREATE_COMPLETE', readiness: 'ready', name: 'envpoc-env' });
    expect(created.properties['roleArn']).toMatch(/^arn:aws:iam::000000000000:role\//);
    const bucket = created.properties['bucket'] as string;
    await h.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(created.tags).toMatchObject({ 'poc:name': 'envpoc', 'poc:managed-by': 'personalize-poc', 'poc:template-sha256': node.properties['template'] });

    h.resetCalls();
    const observed = (await env.observe(h.context('envpoc'), node)) as ObservedResource;
    expect([...h.calls.keys()].sort()).toEqual(['CloudFormation:DescribeStacksCommand', 'CloudFormation:GetTemplateCommand']);
    expect(h.totalCalls()).toBe(2);
    expect(compareNode(env, node, observed, ctx.ownerTags).fields).toEqual([]);
    expect(await env.describeChange?.(ctx, node, observed)).toBeUndefined();

    // The data kinds find the bucket through the environment's outputs.
    const known = new Map<string, ObservedResource>([['environment', observed]]);
    const upload = at(graph.nodes, 'upload.data/i.csv');
    const uploaded = await KINDS.dataUpload.create(h.context('envpoc', known), upload);
    expect(uploaded.id).toBe(`s3://${bucket}/${upload.name}`);

    const owned = await env.listOwned(h.context('envpoc'));
    expect(owned.map((o) => o.name)).toEqual(['envpoc-env']);
    expect(await env.listOwned(h.context('someone-else'))).toEqual([]);

    // Turning on SSE-KMS changes the template and the parameters: a real UPDATE change set.
    const kmsNode = at(graphFor('envpoc', dataPath, 'arn:aws:kms:us-east-1:000000000000:key/k1').nodes, 'environment');
    const fields = compareNode(env, kmsNode, observed, ctx.ownerTags).fields;
    expect(fields.map((f) => [f.field, f.semantics])).toEqual([
      ['parameters', 'in-place'],
      ['template', 'in-place'],
    ]);
    const detail = await env.describeChange?.(ctx, kmsNode, observed);
    expect(detail?.rows.map((r) => r['Action'])).toContain('Modify');
    expect(detail?.rows.find((r) => r['LogicalResourceId'] === 'DataBucket')).toMatchObject({ Action: 'Modify', Replacement: 'False' });
    // Planning leaves no change set waiting in the account (the executed CREATE one is history).
    const left = (await h.clients.cloudformation.send(new ListChangeSetsCommand({ StackName: 'envpoc-env' }))).Summaries ?? [];
    expect(left.filter((c) => c.ExecutionStatus !== 'EXECUTE_COMPLETE')).toEqual([]);
    const updated = await settle(env, ctx, await (env.update as NonNullable<typeof env.update>)(ctx, kmsNode, observed, ['parameters', 'template']));
    expect(updated).toMatchObject({ status: 'UPDATE_COMPLETE', readiness: 'ready' });
    expect(updated.properties['bucket']).toBe(bucket);
    expect(compareNode(env, kmsNode, updated, ctx.ownerTags).fields).toEqual([]);

    // A template changed outside poc.yaml (our tag still names the old hash) is a difference.
    const tampered = JSON.parse(environmentTemplate({ kms: true }).body) as { Resources: { PersonalizeRole: { Properties: { Description: string } } } };
    tampered.Resources.PersonalizeRole.Properties.Description = 'edited by hand';
    await h.clients.cloudformation.send(
      new CreateChangeSetCommand({ StackName: 'envpoc-env', ChangeSetName: 'by-hand', ChangeSetType: 'UPDATE', TemplateBody: JSON.stringify(tampered, null, 2), Capabilities: ['CAPABILITY_IAM'], UsePreviousTemplate: false, Parameters: [{ ParameterKey: 'PocName', UsePreviousValue: true }, { ParameterKey: 'KmsKeyArn', UsePreviousValue: true }] }),
    );
    const handMade = await pollUntil(
      () => h.clients.cloudformation.send(new DescribeChangeSetCommand({ StackName: 'envpoc-env', ChangeSetName: 'by-hand' })),
      (o) => o.Status === 'CREATE_COMPLETE' || o.Status === 'FAILED',
      { what: 'the hand-made change set', timeoutMs: 10_000 },
    );
    expect([handMade.Status, handMade.StatusReason]).toEqual(['CREATE_COMPLETE', undefined]);
    await h.clients.cloudformation.send(new ExecuteChangeSetCommand({ StackName: 'envpoc-env', ChangeSetName: 'by-hand' }));
    await settle(env, ctx, { ...updated, readiness: 'pending' });
    const outside = (await env.observe(h.context('envpoc'), kmsNode)) as ObservedResource;
    expect(compareNode(env, kmsNode, outside, ctx.ownerTags).fields.map((f) => f.field)).toEqual(['template']);
    const restored = await settle(env, ctx, await (env.update as NonNullable<typeof env.update>)(ctx, kmsNode, outside, ['template']));
    expect(compareNode(env, kmsNode, (await env.observe(h.context('envpoc'), kmsNode)) as ObservedResource, ctx.ownerTags).fields).toEqual([]);

    // Deleting empties the POC's data prefix so the bucket can go with the stack.
    await env.delete(ctx, restored);
    await gone(env, ctx, restored);
    await expect(h.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
    expect(await env.observe(h.context('envpoc'), node)).toBeUndefined();
  });
});
