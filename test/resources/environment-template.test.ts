import { describe, expect, it } from 'vitest';
import { environmentTemplate } from '../../src/resources/environment-template.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function parse(kms: boolean) {
  const t = environmentTemplate({ kms });
  return { t, doc: JSON.parse(t.body) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Outputs: Record<string, unknown> } };
}

describe('the built-in environment template', () => {
  it('is stable and hashes its exact bytes', () => {
    expect(environmentTemplate({ kms: false })).toEqual(environmentTemplate({ kms: false }));
    expect(environmentTemplate({ kms: true }).sha256).not.toBe(environmentTemplate({ kms: false }).sha256);
  });

  it('blocks public access, encrypts by default and outputs the bucket and the role', () => {
    const { t, doc } = parse(false);
    const bucket = doc.Resources['DataBucket'];
    expect(bucket?.Properties['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(bucket?.Properties['BucketEncryption'])).toContain('AES256');
    expect(JSON.stringify(parse(true).doc.Resources['DataBucket']?.Properties['BucketEncryption'])).toContain('aws:kms');
    expect(Object.keys(doc.Outputs).sort()).toEqual(['BucketName', 'RoleArn']);
    expect(t.resources.map((r) => r.type)).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::IAM::Role']);
  });

  it('denies non-TLS access and lets Personalize read only the POC data prefix', () => {
    const { doc } = parse(false);
    const statements = (doc.Resources['DataBucketPolicy']?.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement;
    const deny = statements.find((s) => s.Effect === 'Deny');
    expect(deny?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    for (const allow of statements.filter((s) => s.Effect === 'Allow')) {
      expect(allow.Principal).toEqual({ Service: 'personalize.amazonaws.com' });
      expect(JSON.stringify(allow)).toContain('${PocName}/data/*');
    }
  });

  it('gives the role only GetObject and prefix-conditioned ListBucket, no managed policy, trusted by Personalize alone', () => {
    const { doc } = parse(false);
    const role = doc.Resources['PersonalizeRole']?.Properties ?? {};
    expect(role['ManagedPolicyArns']).toBeUndefined();
    expect(JSON.stringify(doc)).not.toMatch(/FullAccess/);
    const trust = (role['AssumeRolePolicyDocument'] as { Statement: Statement[] }).Statement;
    expect(trust.map((s) => s.Principal)).toEqual([{ Service: 'personalize.amazonaws.com' }]);
    const statements = (role['Policies'] as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements.flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const list = statements.find((s) => s.Action.includes('s3:ListBucket'));
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': [{ 'Fn::Sub': '${PocName}/data/*' }] } });
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });
});
