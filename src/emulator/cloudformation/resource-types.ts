import { randomBytes } from 'node:crypto';
import type { ObjectReader } from '../context.ts';
import { bucketNameProblem } from '../s3/bucket-name.ts';
import type { DeployedResource, Json } from './types.ts';

/** Where resources live: the account and region the emulator pretends to be. */
export interface Placement {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
}

/**
 * How the emulator deploys one CloudFormation resource type. Invariants: `physicalId` is a pure
 * function of its arguments apart from the random suffix of generated names; `create`/`remove`
 * return a failure reason (a resource event's status reason) instead of throwing.
 */
export interface ResourceType {
  readonly type: string;
  /** Properties whose change replaces the resource (RequiresRecreation Always). */
  readonly replacingProperties: readonly string[];
  requiredCapability(properties: Readonly<Record<string, Json>>): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  /** A problem with resolved properties (a missing required property), or undefined. */
  validate(properties: Readonly<Record<string, Json>>): string | undefined;
  physicalId(logicalId: string, properties: Readonly<Record<string, Json>>, where: Placement): string;
  attributes(physicalId: string, properties: Readonly<Record<string, Json>>, where: Placement): Record<string, string>;
  create(resource: DeployedResource, objects: ObjectReader): string | undefined;
  remove(resource: DeployedResource, objects: ObjectReader): string | undefined;
}

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomSuffix(length = 12): string {
  return [...randomBytes(length)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}

/** CloudFormation's generated names: `<stack>-<logical>-<RANDOM>`, with the first two parts truncated to fit. */
function generatedName(stackName: string, logicalId: string, maxLength: number): string {
  const suffix = randomSuffix();
  const room = maxLength - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.ceil(room / 2));
  const logicalPart = logicalId.slice(0, room - stackPart.length);
  return `${stackPart}-${logicalPart}-${suffix}`;
}

function stringProp(properties: Readonly<Record<string, Json>>, name: string): string | undefined {
  const value = properties[name];
  return typeof value === 'string' ? value : undefined;
}

const bucket: ResourceType = {
  type: 'AWS::S3::Bucket',
  replacingProperties: ['BucketName', 'ObjectLockEnabled'],
  requiredCapability: () => undefined,
  validate: () => undefined,
  physicalId: (logicalId, properties, where) => stringProp(properties, 'BucketName') ?? generatedName(where.stackName, logicalId, 63).toLowerCase(),
  attributes: (name, _properties, where) => ({
    Arn: `arn:aws:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${where.region}.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${where.region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${where.region}.amazonaws.com`,
  }),
  create(resource, objects) {
    const problem = bucketNameProblem(resource.physicalId);
    if (problem) return `Bucket name ${resource.physicalId} is not valid: ${problem}`;
    if (objects.bucketExists(resource.physicalId)) return `${resource.physicalId} already exists`;
    objects.createBucket(resource.physicalId);
    return undefined;
  },
  remove(resource, objects) {
    if (!objects.bucketExists(resource.physicalId)) return undefined;
    if ((objects.listKeys(resource.physicalId, '') ?? []).length > 0) {
      return 'The bucket you tried to delete is not empty (Service: S3, Status Code: 409, Error Code: BucketNotEmpty)';
    }
    objects.deleteBucket(resource.physicalId);
    return undefined;
  },
};

const bucketPolicy: ResourceType = {
  type: 'AWS::S3::BucketPolicy',
  replacingProperties: ['Bucket'],
  requiredCapability: () => undefined,
  validate: (properties) =>
    typeof properties['Bucket'] !== 'string' ? 'Property Bucket cannot be empty' : properties['PolicyDocument'] === undefined ? 'Property PolicyDocument cannot be empty' : undefined,
  physicalId: (logicalId, _properties, where) => generatedName(where.stackName, logicalId, 128),
  attributes: () => ({}),
  create: (resource, objects) => (objects.bucketExists(String(resource.properties['Bucket'])) ? undefined : `The specified bucket does not exist (bucket ${String(resource.properties['Bucket'])})`),
  remove: () => undefined,
};

const role: ResourceType = {
  type: 'AWS::IAM::Role',
  replacingProperties: ['RoleName', 'Path'],
  requiredCapability: (properties) => (properties['RoleName'] !== undefined ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'),
  validate: (properties) => (properties['AssumeRolePolicyDocument'] === undefined ? 'Property AssumeRolePolicyDocument cannot be empty' : undefined),
  physicalId: (logicalId, properties, where) => stringProp(properties, 'RoleName') ?? generatedName(where.stackName, logicalId, 64),
  attributes: (name, properties, where) => ({
    Arn: `arn:aws:iam::${where.accountId}:role${stringProp(properties, 'Path') ?? '/'}${name}`,
    RoleId: `AROA${randomSuffix(17)}`,
  }),
  create: () => undefined,
  remove: () => undefined,
};

/** The resource types templates may use; anything else fails the change set, naming the type. */
export const RESOURCE_TYPES: ReadonlyMap<string, ResourceType> = new Map([bucket, bucketPolicy, role].map((t) => [t.type, t]));
