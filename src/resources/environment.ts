import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type Change,
  type DescribeChangeSetCommandOutput,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { error, PocError } from '../diagnostics/index.ts';
import { canonicalJson } from '../manifest/avro.ts';
import { ENVIRONMENT_ADDRESS } from './addresses.ts';
import { deleteObjectsUnder } from './bucket-objects.ts';
import { forget, memo } from './cache.ts';
import { environmentTemplate, OUTPUT_BUCKET, OUTPUT_ROLE_ARN, PARAM_KMS_KEY_ARN, templateHash } from './environment-template.ts';
import { isAlreadyExists, isNotFound, orUndefined } from './errors.ts';
import type { ChangeDetail, DesiredNode, KindContext, ObservedResource, Props, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';
import { paginate } from './personalize-lists.ts';
import { pollUntil } from './poll.ts';
import { stackReadiness } from './readiness.ts';
import { isOwned } from './tags.ts';

export const TAG_TEMPLATE_SHA256 = 'poc:template-sha256';

const CHANGE_SET_TITLE = 'CloudFormation change set';

function str(props: Props, key: string): string | undefined {
  const v = props[key];
  return typeof v === 'string' ? v : undefined;
}

function stackParameters(node: DesiredNode): { ParameterKey: string; ParameterValue: string }[] {
  const params = node.properties['parameters'];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return [];
  return Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

function templateFor(node: DesiredNode): ReturnType<typeof environmentTemplate> {
  const params = node.properties['parameters'];
  const kms = typeof params === 'object' && params !== null && !Array.isArray(params) && PARAM_KMS_KEY_ARN in params;
  return environmentTemplate({ kms });
}

/** `templateSha256`: the live template's hash when read (GetTemplate); else the tag we set. */
function fromStack(address: string, stack: Stack, templateSha256?: string): ObservedResource {
  const tags: Record<string, string> = {};
  for (const t of stack.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  const outputs: Record<string, string> = {};
  for (const o of stack.Outputs ?? []) if (o.OutputKey !== undefined) outputs[o.OutputKey] = o.OutputValue ?? '';
  const parameters: Record<string, string> = {};
  for (const p of stack.Parameters ?? []) if (p.ParameterKey !== undefined) parameters[p.ParameterKey] = p.ParameterValue ?? '';
  const status = stack.StackStatus ?? 'UNKNOWN';
  const readiness = stackReadiness(status);
  return {
    address,
    kind: 'environment',
    name: stack.StackName ?? '',
    id: stack.StackId ?? stack.StackName ?? '',
    status,
    readiness,
    ...(stack.StackStatusReason !== undefined && (readiness === 'failed' || status.includes('ROLLBACK')) ? { failureReason: stack.StackStatusReason } : {}),
    properties: {
      mode: 'stack',
      template: templateSha256 ?? tags[TAG_TEMPLATE_SHA256] ?? null,
      parameters,
      bucket: outputs[OUTPUT_BUCKET] ?? null,
      roleArn: outputs[OUTPUT_ROLE_ARN] ?? null,
    },
    tags,
  };
}

/**
 * A stack that only ever had an unexecuted CREATE change set holds no resources yet: it counts as
 * absent so the next create reuses it (CloudFormation accepts a CREATE change set there).
 */
function existing(stack: Stack | undefined): Stack | undefined {
  return stack === undefined || stack.StackStatus === 'DELETE_COMPLETE' || stack.StackStatus === 'REVIEW_IN_PROGRESS' ? undefined : stack;
}

async function describeStack(ctx: KindContext, stackName: string): Promise<Stack | undefined> {
  const out = await orUndefined(ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }), signalOf(ctx)));
  return existing(out?.Stacks?.[0]);
}

const KEY_STACKS = 'cloudformation:DescribeStacks';

/**
 * Every stack in the region with its outputs and tags (DescribeStacks without a name, every page),
 * memoised per run: listOwned needs them all to find stacks tagged for this POC, and observe finds
 * the declared stack among them instead of describing it a second time.
 */
function listStacks(ctx: KindContext): Promise<Stack[]> {
  return memo(ctx, KEY_STACKS, () =>
    paginate(async (token) => {
      const page = await ctx.clients.cloudformation.send(new DescribeStacksCommand(token === undefined ? {} : { NextToken: token }), signalOf(ctx));
      return { items: page.Stacks, nextToken: page.NextToken };
    }),
  );
}

/**
 * The stack with its live template's hash: the shared DescribeStacks plus GetTemplate, so a
 * template changed outside poc.yaml shows as a difference even though our tag still names the old hash.
 */
async function observeStack(ctx: KindContext, address: string, stackName: string): Promise<ObservedResource | undefined> {
  // Not found means no stack, as it did when the stack was described by name.
  const stacks = (await orUndefined(listStacks(ctx))) ?? [];
  const stack = existing(stacks.find((s) => s.StackName === stackName && s.StackStatus !== 'DELETE_COMPLETE'));
  if (stack === undefined) return undefined;
  const template = await orUndefined(ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: stack.StackId ?? stackName, TemplateStage: 'Original' }), signalOf(ctx)));
  return fromStack(address, stack, template?.TemplateBody === undefined ? undefined : templateHash(template.TemplateBody));
}

async function bucketExists(ctx: KindContext, bucket: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }), signalOf(ctx));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function existingObserved(node: DesiredNode): ObservedResource {
  const bucket = str(node.properties, 'bucket') ?? node.name;
  return {
    address: node.address,
    kind: 'environment',
    name: bucket,
    id: `s3://${bucket}`,
    status: 'EXISTS',
    readiness: 'ready',
    properties: { mode: 'existing', bucket, roleArn: str(node.properties, 'roleArn') ?? null },
    tags: {},
  };
}

type ChangeSetResult = { readonly name: string; readonly output: DescribeChangeSetCommandOutput; readonly changes: Change[] };

/** Creates a change set and waits until CloudFormation has computed it (or failed to). */
async function computeChangeSet(ctx: KindContext, node: DesiredNode, type: 'CREATE' | 'UPDATE'): Promise<ChangeSetResult> {
  const tpl = templateFor(node);
  const name = `poc-${tpl.sha256.slice(0, 8)}-${Date.now().toString(36)}`;
  await ctx.clients.cloudformation.send(
    new CreateChangeSetCommand({
      StackName: node.name,
      ChangeSetName: name,
      ChangeSetType: type,
      TemplateBody: tpl.body,
      Parameters: stackParameters(node),
      Capabilities: ['CAPABILITY_IAM'],
      Tags: Object.entries({ ...ctx.ownerTags, [TAG_TEMPLATE_SHA256]: tpl.sha256 }).map(([Key, Value]) => ({ Key, Value })),
      Description: `personalize-poc ${ctx.pocName}`,
    }),
    signalOf(ctx),
  );
  const output = await pollUntil(
    () => ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ StackName: node.name, ChangeSetName: name }), signalOf(ctx)),
    (o) => o.Status === 'CREATE_COMPLETE' || o.Status === 'FAILED',
    { signal: ctx.signal, what: `change set ${name} of stack ${node.name}` },
  );
  const changes = [...(output.Changes ?? [])];
  let token = output.NextToken;
  while (token !== undefined && token !== '') {
    const page = await ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ StackName: node.name, ChangeSetName: name, NextToken: token }), signalOf(ctx));
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  }
  return { name, output, changes };
}

/** CloudFormation refuses an empty change set with FAILED and a reason saying so. */
function isEmptyChangeSet(result: ChangeSetResult): boolean {
  return result.output.Status === 'FAILED' && /didn't contain changes|no updates/i.test(result.output.StatusReason ?? '');
}

function changeSetFailed(node: DesiredNode, result: ChangeSetResult): PocError {
  return new PocError(
    error('environment-change-set-failed', `CloudFormation could not prepare stack ${node.name}: ${result.output.StatusReason ?? 'no reason given'}`, {
      ...(node.source ?? {}),
    }),
    'service',
  );
}

async function executeChangeSet(ctx: KindContext, node: DesiredNode, type: 'CREATE' | 'UPDATE', observed?: ObservedResource): Promise<ObservedResource> {
  const result = await computeChangeSet(ctx, node, type);
  // A CREATE change set makes the stack (REVIEW_IN_PROGRESS): the memoised listing is out of date.
  forget(ctx, KEY_STACKS);
  if (isEmptyChangeSet(result)) {
    await ctx.clients.cloudformation.send(new DeleteChangeSetCommand({ StackName: node.name, ChangeSetName: result.name }), signalOf(ctx));
    const now = await describeStack(ctx, node.name);
    if (now !== undefined) return fromStack(node.address, now);
    if (observed !== undefined) return observed;
  }
  if (result.output.Status === 'FAILED') throw changeSetFailed(node, result);
  await ctx.clients.cloudformation.send(new ExecuteChangeSetCommand({ StackName: node.name, ChangeSetName: result.name }), signalOf(ctx));
  forget(ctx, KEY_STACKS);
  const stack = await describeStack(ctx, node.name);
  if (stack !== undefined) return fromStack(node.address, stack);
  return { address: node.address, kind: 'environment', name: node.name, id: node.name, status: `${type}_IN_PROGRESS`, readiness: 'pending', properties: { mode: 'stack' }, tags: {} };
}

function rowOf(change: Change): Record<string, string> {
  const rc = change.ResourceChange;
  return {
    Action: rc?.Action ?? '',
    LogicalResourceId: rc?.LogicalResourceId ?? '',
    ResourceType: rc?.ResourceType ?? '',
    Replacement: rc?.Replacement ?? '',
  };
}

function isStackMode(props: Props): boolean {
  return props['mode'] !== 'existing';
}

/**
 * The POC's working environment, at address `environment`.
 * - mode `stack`: properties `{mode, template (sha256 of the built-in template), parameters}`;
 *   created and updated through CloudFormation change sets. Observing costs GetTemplate (the live
 *   template's hash, so edits made outside poc.yaml show) after the DescribeStacks of every stack
 *   that listOwned makes anyway.
 * - mode `existing`: properties `{mode, bucket, roleArn}`; the bucket is checked, never changed.
 * Observed properties always include `bucket` and `roleArn` (the stack outputs in mode stack),
 * which the upload and import kinds read through `ctx.resolve('environment')`.
 */
export const environmentKind: ResourceKind = {
  kind: 'environment',
  fields: {
    mode: { update: 'replace' },
    template: { update: 'in-place' },
    parameters: { update: 'in-place' },
    bucket: { update: 'in-place' },
    roleArn: { update: 'in-place' },
  },
  deleteOrder: 100,
  // The stack is tagged by every change set (CloudFormation passes the tags on to the bucket and
  // role), but tag drift is not planned: an existing bucket is not ours to tag.
  supportsTags: false,
  parents: [],
  observeAfter: [],

  async observe(ctx, node) {
    if (!isStackMode(node.properties)) return (await bucketExists(ctx, node.name)) ? existingObserved(node) : undefined;
    return observeStack(ctx, node.address, node.name);
  },

  async listOwned(ctx) {
    return (await listStacks(ctx))
      .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
      .map((s) => fromStack(ENVIRONMENT_ADDRESS, s))
      .filter((o) => isOwned(ctx, o.tags));
  },

  async create(ctx, node) {
    if (!isStackMode(node.properties)) {
      if (await bucketExists(ctx, node.name)) return existingObserved(node);
      throw new PocError(
        error('environment-bucket-missing', `The bucket "${node.name}" named in environment.bucket does not exist (or these credentials cannot see it).`, {
          ...(node.source ?? {}),
          hint: 'Create the bucket first, or use environment mode "stack" to let personalize-poc create one.',
        }),
      );
    }
    // Adopt a stack a crashed run already created: a CREATE change set on it would be refused.
    const current = await describeStack(ctx, node.name);
    if (current !== undefined) return fromStack(node.address, current);
    try {
      return await executeChangeSet(ctx, node, 'CREATE');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const stack = await describeStack(ctx, node.name);
      if (stack === undefined) throw err;
      return fromStack(node.address, stack);
    }
  },

  async update(ctx, node, observed) {
    if (!isStackMode(node.properties)) return (await bucketExists(ctx, node.name)) ? existingObserved(node) : observed;
    return executeChangeSet(ctx, node, 'UPDATE', observed);
  },

  async delete(ctx, observed) {
    if (!isStackMode(observed.properties)) return;
    const bucket = str(observed.properties, 'bucket');
    // This POC's data objects go first, so CloudFormation can delete the bucket.
    if (bucket !== undefined && (await bucketExists(ctx, bucket))) await deleteObjectsUnder(ctx.clients.s3, bucket, `${ctx.pocName}/`, { signal: ctx.signal });
    await ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: observed.id }), signalOf(ctx));
    forget(ctx, KEY_STACKS);
  },

  async refresh(ctx, observed) {
    if (!isStackMode(observed.properties)) {
      const bucket = str(observed.properties, 'bucket') ?? observed.name;
      return (await bucketExists(ctx, bucket)) ? observed : undefined;
    }
    // By stack id, so a deleted stack still answers (DELETE_COMPLETE) instead of "does not exist".
    const out = await orUndefined(ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: observed.id }), signalOf(ctx)));
    const stack = out?.Stacks?.[0];
    if (stack === undefined || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
    return fromStack(observed.address, stack);
  },

  async describeChange(ctx, node, observed): Promise<ChangeDetail | undefined> {
    if (!isStackMode(node.properties)) return undefined;
    if (observed === undefined) {
      const rows = templateFor(node).resources.map((r) => ({ Action: 'Add', LogicalResourceId: r.logicalId, ResourceType: r.type, Replacement: '' }));
      return { title: CHANGE_SET_TITLE, rows };
    }
    const same =
      canonicalJson(observed.properties['template']) === canonicalJson(node.properties['template']) &&
      canonicalJson(observed.properties['parameters']) === canonicalJson(node.properties['parameters']);
    if (same) return undefined;
    const result = await computeChangeSet(ctx, node, 'UPDATE');
    await ctx.clients.cloudformation.send(new DeleteChangeSetCommand({ StackName: node.name, ChangeSetName: result.name }), signalOf(ctx));
    if (isEmptyChangeSet(result)) return { title: CHANGE_SET_TITLE, rows: [] };
    if (result.output.Status === 'FAILED') throw changeSetFailed(node, result);
    return { title: CHANGE_SET_TITLE, rows: result.changes.map(rowOf) };
  },
};
