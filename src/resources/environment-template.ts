import { createHash } from 'node:crypto';
import { canonicalJson } from '../manifest/avro.ts';

/**
 * The built-in least-privilege CloudFormation template of a POC's working environment: one S3
 * bucket (public access blocked, encrypted by default, TLS only) and one IAM role that Amazon
 * Personalize assumes to read the POC's data prefix and nothing else. No managed policy is
 * attached. Pure: the same options give the same bytes, so its hash is a stable plan field.
 */
export interface EnvironmentTemplateOptions {
  /** SSE-KMS with the `KmsKeyArn` parameter instead of SSE-S3; the role may then use the key. */
  readonly kms: boolean;
}

export interface EnvironmentTemplate {
  /** Template JSON as sent in `TemplateBody`, canonical (sorted keys, no spaces). */
  readonly body: string;
  /** {@link templateHash} of `body`. */
  readonly sha256: string;
  /** Logical id and type of every resource, in template order (the plan's rows before a stack exists). */
  readonly resources: readonly { readonly logicalId: string; readonly type: string }[];
}

/** Stack parameter names. `PocName` scopes every grant to `<PocName>/data/`. */
export const PARAM_POC_NAME = 'PocName';
export const PARAM_KMS_KEY_ARN = 'KmsKeyArn';
export const OUTPUT_BUCKET = 'BucketName';
export const OUTPUT_ROLE_ARN = 'RoleArn';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DATA_OBJECTS = { 'Fn::Sub': '${DataBucket.Arn}/${PocName}/data/*' };
const BUCKET_ARN = { 'Fn::GetAtt': ['DataBucket', 'Arn'] };
const PERSONALIZE = 'personalize.amazonaws.com';

function bucketEncryption(kms: boolean): Json {
  const byDefault = kms ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: PARAM_KMS_KEY_ARN } } : { SSEAlgorithm: 'AES256' };
  return { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: kms }] };
}

function roleStatements(kms: boolean): Json[] {
  const read: Json[] = [
    { Sid: 'ReadPocData', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [DATA_OBJECTS] },
    {
      Sid: 'ListPocData',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [BUCKET_ARN],
      Condition: { StringLike: { 's3:prefix': [{ 'Fn::Sub': '${PocName}/data/*' }] } },
    },
  ];
  if (kms) read.push({ Sid: 'DecryptPocData', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [{ Ref: PARAM_KMS_KEY_ARN }] });
  return read;
}

function template(kms: boolean): Json {
  const parameters: Record<string, Json> = {
    [PARAM_POC_NAME]: { Type: 'String', Description: 'The POC name; every grant is limited to <PocName>/data/.' },
  };
  if (kms) parameters[PARAM_KMS_KEY_ARN] = { Type: 'String', Description: 'KMS key for default bucket encryption.' };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'personalize-poc working environment: a private data bucket and the role Amazon Personalize assumes to read it.',
    Parameters: parameters,
    Resources: {
      DataBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: bucketEncryption(kms),
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      },
      DataBucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [BUCKET_ARN, { 'Fn::Sub': '${DataBucket.Arn}/*' }],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
              { Sid: 'PersonalizeReadPocData', Effect: 'Allow', Principal: { Service: PERSONALIZE }, Action: ['s3:GetObject'], Resource: [DATA_OBJECTS] },
              {
                Sid: 'PersonalizeListPocData',
                Effect: 'Allow',
                Principal: { Service: PERSONALIZE },
                Action: ['s3:ListBucket'],
                Resource: [BUCKET_ARN],
                Condition: { StringLike: { 's3:prefix': [{ 'Fn::Sub': '${PocName}/data/*' }] } },
              },
            ],
          },
        },
      },
      PersonalizeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'Assumed by Amazon Personalize to read this POC data prefix.',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: PERSONALIZE },
                Action: 'sts:AssumeRole',
                // Confused-deputy guard: only this account's Personalize may assume the role.
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [{ PolicyName: 'read-poc-data', PolicyDocument: { Version: '2012-10-17', Statement: roleStatements(kms) } }],
        },
      },
    },
    Outputs: {
      [OUTPUT_BUCKET]: { Description: 'Bucket holding the POC data.', Value: { Ref: 'DataBucket' } },
      [OUTPUT_ROLE_ARN]: { Description: 'Role Amazon Personalize assumes.', Value: { 'Fn::GetAtt': ['PersonalizeRole', 'Arn'] } },
    },
  };
}

export function environmentTemplate(options: EnvironmentTemplateOptions): EnvironmentTemplate {
  const value = template(options.kms);
  const body = canonicalJson(value);
  const resources = Object.entries((JSON.parse(body) as { Resources: Record<string, { Type: string }> }).Resources).map(([logicalId, r]) => ({ logicalId, type: r.Type }));
  return { body, sha256: templateHash(body), resources };
}

/**
 * sha256 hex of a template's canonical JSON, so a body that CloudFormation hands back with other
 * spacing or key order hashes the same; a body that is not JSON (YAML set outside) hashes as is.
 */
export function templateHash(body: string): string {
  let canonical = body;
  try {
    canonical = canonicalJson(JSON.parse(body));
  } catch {
    // Not JSON: compared byte for byte, so it shows as a template difference.
  }
  return createHash('sha256').update(canonical).digest('hex');
}
