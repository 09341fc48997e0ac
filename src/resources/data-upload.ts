import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { error, PocError } from '../diagnostics/index.ts';
import { ENVIRONMENT_ADDRESS } from './addresses.ts';
import { adoptedObjectMatches, META_SHA256, splitS3Uri } from './adopted-object.ts';
import { orUndefined } from './errors.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from './kind.ts';
import { signalOf } from './call-options.ts';

function bucketOf(ctx: KindContext): string | undefined {
  const bucket = ctx.resolve(ENVIRONMENT_ADDRESS)?.properties['bucket'];
  return typeof bucket === 'string' && bucket !== '' ? bucket : undefined;
}

/** The hash segment of `<poc>/data/<sha256>/<basename>`. */
function shaOfKey(key: string): string | null {
  const parts = key.split('/');
  return parts.length >= 3 ? (parts[parts.length - 2] ?? null) : null;
}

function toObserved(address: string, bucket: string, key: string, sha256: string | null): ObservedResource {
  return {
    address,
    kind: 'dataUpload',
    name: key,
    id: `s3://${bucket}/${key}`,
    status: 'AVAILABLE',
    readiness: 'ready',
    properties: { sha256 },
    tags: {},
  };
}

async function head(ctx: KindContext, address: string, bucket: string, key: string): Promise<ObservedResource | undefined> {
  const out = await orUndefined(ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signalOf(ctx)));
  if (out === undefined) return undefined;
  return toObserved(address, bucket, key, out.Metadata?.[META_SHA256] ?? shaOfKey(key));
}

async function upload(ctx: KindContext, node: DesiredNode, bucket: string): Promise<ObservedResource> {
  const file = node.inputs?.['file'];
  const expected = node.properties['sha256'];
  if (file === undefined || typeof expected !== 'string') throw new Error(`upload node ${node.address} needs inputs.file and a sha256 property`);
  // Hash while streaming: a file edited between plan and apply must not land under the old hash.
  const hash = createHash('sha256');
  const body = new PassThrough();
  const reading = pipeline(createReadStream(file), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
  }, body);
  const sending = new Upload({
    client: ctx.clients.s3,
    params: { Bucket: bucket, Key: node.name, Body: body, ContentType: 'text/csv', Metadata: { [META_SHA256]: expected } },
    ...(ctx.signal === undefined ? {} : { abortController: abortControllerOf(ctx.signal) }),
  }).done();
  // A failed upload stops reading the file instead of leaving the pipeline waiting on a full buffer.
  sending.catch((err: unknown) => body.destroy(err instanceof Error ? err : new Error(String(err))));
  await Promise.all([reading, sending]);
  const actual = hash.digest('hex');
  if (actual !== expected) {
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: node.name }), signalOf(ctx));
    throw new PocError(
      error('data-changed-since-plan', `${file} changed after it was planned (sha256 ${expected.slice(0, 8)}..., now ${actual.slice(0, 8)}...).`, {
        ...(node.source ?? {}),
        hint: 'Run plan again.',
      }),
    );
  }
  return toObserved(node.address, bucket, node.name, expected);
}

/**
 * The adopted object (`inputs.adoptedFrom`, a dataset's `importedFrom`) when it holds the file's
 * bytes: the data is already in S3, and imports read it from there. Undefined otherwise.
 */
async function adopted(ctx: KindContext, node: DesiredNode): Promise<ObservedResource | undefined> {
  const uri = node.inputs?.['adoptedFrom'];
  const file = node.inputs?.['file'];
  const sha = node.properties['sha256'];
  if (uri === undefined || file === undefined || typeof sha !== 'string') return undefined;
  if (!(await adoptedObjectMatches(ctx, uri, file, sha))) return undefined;
  const { bucket, key } = splitS3Uri(uri);
  return { ...toObserved(node.address, bucket, key, sha), name: node.name };
}

function abortControllerOf(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}

/**
 * A data file in the environment's bucket, at `upload.<path as written>`, named by its S3 key
 * `<poc>/data/<sha256>/<basename>`: content-addressed, so it is uploaded once and never
 * updated. Property `{sha256}`; `inputs.file` is the local path. Observe: one HeadObject.
 * Pruning old data objects is out of scope (`listOwned` returns none). An adopted object
 * (`inputs.adoptedFrom`) holding the same bytes is observed instead, with that object's URI as its
 * id, so imports read it where it is (see adopted-object.ts for how "same bytes" is decided).
 */
export const dataUploadKind: ResourceKind = {
  kind: 'dataUpload',
  fields: { sha256: { update: 'create-only', content: 'data' } },
  deleteOrder: 90,
  supportsTags: false,
  parents: ['environment'],
  // The bucket is a stack output: only the environment's observation knows it.
  observeAfter: ['environment'],

  async observe(ctx, node) {
    const found = await adopted(ctx, node);
    if (found !== undefined) return found;
    const bucket = bucketOf(ctx);
    return bucket === undefined ? undefined : head(ctx, node.address, bucket, node.name);
  },

  async listOwned() {
    return [];
  },

  async create(ctx, node) {
    const bucket = bucketOf(ctx);
    if (bucket === undefined) throw new Error(`upload ${node.name} needs the environment's bucket`);
    return (await adopted(ctx, node)) ?? (await head(ctx, node.address, bucket, node.name)) ?? upload(ctx, node, bucket);
  },

  async delete(ctx, observed) {
    const { bucket, key } = splitS3Uri(observed.id);
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), signalOf(ctx));
  },

  async refresh(ctx, observed) {
    const { bucket, key } = splitS3Uri(observed.id);
    return head(ctx, observed.address, bucket, key);
  },
};
