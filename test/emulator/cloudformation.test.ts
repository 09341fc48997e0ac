import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';
import { s3Client } from './s3-helpers.ts';

const TEMPLATE = {
  Parameters: { Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] } },
  Resources: {
    DataBucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' }, PublicAccessBlockConfiguration: { BlockPublicAcls: true } } },
    Policy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'DataBucket' },
        PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 's3:GetObject', Resource: { 'Fn::Sub': '${DataBucket.Arn}/*' } }] },
      },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Description: { 'Fn::Join': ['-', ['role', { Ref: 'Env' }]] },
      },
    },
  },
  Outputs: {
    BucketName: { Value: { Ref: 'DataBucket' } },
    RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    Where: { Value: { 'Fn::Sub': ['${AWS::AccountId}/${AWS::Region}/${AWS::StackName}/${Suffix}', { Suffix: { Ref: 'Env' } }] } },
  },
};

async function errorOf(promise: Promise<unknown>): Promise<CloudFormationServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CloudFormationServiceException) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('CloudFormation over HTTP', () => {
  let emu: RunningEmulator;
  let cfn: CloudFormationClient;
  let stateDir: string;
  const s3 = () => s3Client(emu.url);

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'poc-cfn-'));
    emu = await startEmulator({ stateDir, durations: ZERO_DURATIONS });
    cfn = new CloudFormationClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    cfn.destroy();
    await emu.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function changeSet(stack: string, name: string, type: 'CREATE' | 'UPDATE', template: object, parameters: Parameter[] = []) {
    const created = await cfn.send(
      new CreateChangeSetCommand({ StackName: stack, ChangeSetName: name, ChangeSetType: type, TemplateBody: JSON.stringify(template), Parameters: parameters, Capabilities: ['CAPABILITY_IAM'], Tags: [{ Key: 'poc:name', Value: 'demo' }] }),
    );
    return cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
  }

  async function stack(name: string) {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return out.Stacks![0]!;
  }

  it('creates a stack through a change set, with outputs and a real bucket', async () => {
    const cs = await changeSet('poc-env', 'create-1', 'CREATE', TEMPLATE);
    expect(cs.Status).toBe('CREATE_COMPLETE');
    expect(cs.ExecutionStatus).toBe('AVAILABLE');
    expect(cs.Changes?.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId])).toEqual([
      ['Add', 'DataBucket'],
      ['Add', 'Role'],
      ['Add', 'Policy'],
    ]);
    expect((await stack('poc-env')).StackStatus).toBe('REVIEW_IN_PROGRESS');
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'create-1', StackName: 'poc-env' }));
    const created = await stack('poc-env');
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    expect(created.Tags).toEqual([{ Key: 'poc:name', Value: 'demo' }]);
    const outputs = Object.fromEntries((created.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs['BucketName']).toMatch(/^poc-env-databucket-[a-z0-9]{12}$/);
    expect(outputs['RoleArn']).toMatch(/^arn:aws:iam::000000000000:role\/poc-env-Role-[A-Z0-9]{12}$/);
    expect(outputs['Where']).toBe('000000000000/us-east-1/poc-env/dev');
    await s3().send(new HeadBucketCommand({ Bucket: outputs['BucketName'] }));
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'poc-env' }));
    expect(events.StackEvents?.[0]?.ResourceStatus).toBe('CREATE_COMPLETE');
    expect(events.StackEvents?.some((e) => e.LogicalResourceId === 'DataBucket' && e.ResourceStatus === 'CREATE_COMPLETE')).toBe(true);
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'poc-env' }));
    expect(JSON.parse(template.TemplateBody ?? '{}')).toEqual(TEMPLATE);
  });

  it('shows Modify rows with Replacement in an update change set, and applies them', async () => {
    const before = await stack('poc-env');
    const oldBucket = before.Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue;
    const updated = structuredClone(TEMPLATE) as typeof TEMPLATE & { Resources: { DataBucket: { Properties: Record<string, unknown> } } };
    updated.Resources.DataBucket.Properties['BucketName'] = 'poc-env-renamed-data';
    const cs = await changeSet('poc-env', 'update-1', 'UPDATE', updated, [{ ParameterKey: 'Env', ParameterValue: 'prod' }]);
    expect(cs.Status).toBe('CREATE_COMPLETE');
    const rows = Object.fromEntries((cs.Changes ?? []).map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange]));
    expect(rows['DataBucket']).toMatchObject({ Action: 'Modify', Replacement: 'True', PhysicalResourceId: oldBucket, Scope: ['Properties'] });
    expect(rows['DataBucket']?.Details?.[0]?.Target).toMatchObject({ Name: 'BucketName', RequiresRecreation: 'Always' });
    expect(rows['Role']).toMatchObject({ Action: 'Modify', Replacement: 'False' });
    expect(rows['Policy']).toMatchObject({ Action: 'Modify', Replacement: 'True' });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.ChangeSetId }));
    const after = await stack('poc-env');
    expect(after.StackStatus).toBe('UPDATE_COMPLETE');
    expect(after.Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue).toBe('poc-env-renamed-data');
    await s3().send(new HeadBucketCommand({ Bucket: 'poc-env-renamed-data' }));
    expect(emu.context.objects.bucketExists(oldBucket ?? '')).toBe(false);
  });

  it('fails an update change set that changes nothing', async () => {
    const current = await cfn.send(new GetTemplateCommand({ StackName: 'poc-env' }));
    const cs = await changeSet('poc-env', 'noop', 'UPDATE', JSON.parse(current.TemplateBody ?? '{}'), [{ ParameterKey: 'Env', ParameterValue: 'prod' }]);
    expect(cs.Status).toBe('FAILED');
    expect(cs.StatusReason).toContain("didn't contain changes");
  });

  it('fails a change set with an unsupported resource type, naming it', async () => {
    const cs = await changeSet('poc-bad', 'create-1', 'CREATE', { Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    expect(cs.Status).toBe('FAILED');
    expect(cs.ExecutionStatus).toBe('UNAVAILABLE');
    expect(cs.StatusReason).toContain('AWS::SQS::Queue');
    const exec = await errorOf(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.ChangeSetId })));
    expect(exec.name).toBe('InvalidChangeSetStatusException');
  });

  it('fails a change set with an unresolvable reference, naming it', async () => {
    const cs = await changeSet('poc-ref', 'create-1', 'CREATE', { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Missing' } } } } });
    expect(cs.Status).toBe('FAILED');
    expect(cs.StatusReason).toContain('Missing');
  });

  it('requires IAM capabilities for templates with roles', async () => {
    const err = await errorOf(
      cfn.send(new CreateChangeSetCommand({ StackName: 'poc-iam', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'named', AssumeRolePolicyDocument: {} } } } }) })),
    );
    expect(err.name).toBe('InsufficientCapabilitiesException');
    expect(err.message).toContain('CAPABILITY_NAMED_IAM');
  });

  it('accepts YAML templates with short-form intrinsics and keeps stacks across a restart', async () => {
    const yaml = [
      'Parameters:',
      '  Prefix: {Type: String, Default: logs}',
      'Resources:',
      '  Logs:',
      '    Type: AWS::S3::Bucket',
      '    DeletionPolicy: Retain',
      '    Properties:',
      '      BucketName: !Sub "${Prefix}-${AWS::StackName}"',
      'Outputs:',
      '  Arn:',
      '    Value: !GetAtt Logs.Arn',
    ].join('\n');
    const created = await cfn.send(new CreateChangeSetCommand({ StackName: 'poc-yaml', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: yaml }));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
    cfn.destroy();
    await emu.close();
    emu = await startEmulator({ stateDir, durations: ZERO_DURATIONS });
    cfn = new CloudFormationClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const restored = await stack('poc-yaml');
    expect(restored.StackStatus).toBe('CREATE_COMPLETE');
    expect(restored.Outputs?.[0]?.OutputValue).toBe('arn:aws:s3:::logs-poc-yaml');
    await cfn.send(new DeleteStackCommand({ StackName: 'poc-yaml' }));
    expect(emu.context.objects.bucketExists('logs-poc-yaml')).toBe(true);
  });

  it('reports unknown stacks and change sets', async () => {
    const err = await errorOf(cfn.send(new DescribeStacksCommand({ StackName: 'no-such-stack' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Stack with id no-such-stack does not exist');
    const cs = await errorOf(cfn.send(new DescribeChangeSetCommand({ StackName: 'poc-env', ChangeSetName: 'nope' })));
    expect(cs.name).toBe('ChangeSetNotFoundException');
    const update = await errorOf(cfn.send(new CreateChangeSetCommand({ StackName: 'no-such-stack', ChangeSetName: 'c', ChangeSetType: 'UPDATE', TemplateBody: '{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}' })));
    expect(update.message).toContain('does not exist');
  });

  it('fails DeleteStack on a non-empty bucket, then deletes the stack and its bucket once emptied', async () => {
    const bucket = (await stack('poc-env')).Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue ?? '';
    const client = s3();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'data.csv', Body: 'x' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'poc-env' }));
    const failed = await stack('poc-env');
    expect(failed.StackStatus).toBe('DELETE_FAILED');
    expect(failed.StackStatusReason).toContain('DataBucket');
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'data.csv' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'poc-env' }));
    expect((await errorOf(cfn.send(new DescribeStacksCommand({ StackName: 'poc-env' })))).message).toContain('does not exist');
    expect(emu.context.objects.bucketExists(bucket)).toBe(false);
    const byId = await cfn.send(new DescribeStacksCommand({ StackName: failed.StackId }));
    expect(byId.Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
  });

  it('answers an unknown Action and malformed bodies with query-protocol errors, and keeps serving', async () => {
    const post = (body: string) => fetch(emu.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const unknown = await post('Action=DescribeNothing&Version=2010-05-15');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    for (const body of ['%%%&&&=', 'Action=CreateChangeSet&StackName=x&ChangeSetName=y&ChangeSetType=CREATE&TemplateBody=%7Bnot-json', 'Action=CreateChangeSet', '\u0000\u0001']) {
      const res = await post(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await cfn.send(new DescribeStacksCommand({}))).Stacks).toBeDefined();
  });
});
