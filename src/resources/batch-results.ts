import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { splitS3Uri } from './adopted-object.ts';
import { inferenceApi, segmentApi } from './batch-api.ts';
import { TAG_BATCH_CONTENT } from './batch-job.ts';
import { signalOf } from './call-options.ts';
import type { DesiredNode, KindContext, ObservedResource, ResourceKind } from './kind.ts';

/** The marker written last into a results folder: which job's output the folder holds. */
export const RESULTS_MARKER = '.poc-batch-job.json';

/**
 * The marker's content. Invariant: every file in `files` (relative to the folder) was downloaded
 * from the output of the job named here, whose content hash is `job`.
 */
interface Marker {
  readonly job: string;
  readonly jobName: string;
  readonly jobArn: string;
  readonly files: readonly string[];
}

async function readMarker(folder: string): Promise<Marker | undefined> {
  try {
    const marker = JSON.parse(await readFile(join(folder, RESULTS_MARKER), 'utf8')) as Partial<Marker>;
    return typeof marker.job === 'string' && Array.isArray(marker.files) ? (marker as Marker) : undefined;
  } catch {
    return undefined;
  }
}

function toObserved(address: string, name: string, folder: string, marker: Marker): ObservedResource {
  return { address, kind: 'batchResults', name, id: folder, status: 'DOWNLOADED', readiness: 'ready', properties: { job: marker.job }, tags: {} };
}

async function observe(address: string, name: string, folder: string): Promise<ObservedResource | undefined> {
  const marker = await readMarker(folder);
  return marker === undefined ? undefined : toObserved(address, name, folder, marker);
}

function folderOf(node: DesiredNode): string {
  const folder = node.inputs?.['folder'];
  if (folder === undefined) throw new Error(`results node ${node.address} needs inputs.folder`);
  return folder;
}

async function download(ctx: KindContext, outputPath: string, folder: string): Promise<string[]> {
  const { bucket, key: prefix } = splitS3Uri(outputPath);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }), signalOf(ctx));
    for (const o of page.Contents ?? []) if (o.Key !== undefined && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const files: string[] = [];
  for (const key of keys) {
    const file = key.slice(prefix.length).replace(/^\/+/, '');
    const target = join(folder, file);
    // A key such as `../x` must not write outside the folder.
    if (relative(folder, target).startsWith(`..${sep}`)) continue;
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signalOf(ctx));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.tmp`, (await out.Body?.transformToByteArray()) ?? new Uint8Array());
    await rename(`${target}.tmp`, target);
    files.push(file);
  }
  return files;
}

/**
 * A batch job's results in the local folder poc.yaml names (`output:`), at `<job address>.results`.
 * No AWS resource: create downloads every object under the job's output path into the folder,
 * removes the files the previous job's download left there, and writes {@link RESULTS_MARKER}
 * last, naming the job. Property `{job}`: the job's content hash, so results follow the job a
 * changed input or a retraining runs. Observe reads the marker only (no call).
 */
export const batchResultsKind: ResourceKind = {
  kind: 'batchResults',
  fields: { job: { update: 'create-only', content: 'data' } },
  deleteOrder: 10,
  supportsTags: false,
  deletion: 'none',
  parents: ['batchInferenceJob', 'batchSegmentJob'],
  observeAfter: [],

  observe: (_ctx, node) => observe(node.address, node.name, folderOf(node)),

  async listOwned() {
    return [];
  },

  async create(ctx, node) {
    const folder = folderOf(node);
    const job = ctx.resolve(node.dependsOn.find((d) => ctx.resolve(d)?.kind === 'batchInferenceJob' || ctx.resolve(d)?.kind === 'batchSegmentJob') ?? '');
    if (job === undefined) throw new Error(`results ${node.name} need their batch job to exist first`);
    if (job.readiness !== 'ready') throw new Error(`batch job ${job.name} is ${job.status}${job.failureReason === undefined ? '' : `: ${job.failureReason}`}; there are no results to download`);
    const view = await (job.kind === 'batchSegmentJob' ? segmentApi : inferenceApi).describe(ctx, job.id);
    if (view?.outputPath === undefined) throw new Error(`batch job ${job.name} has no output path`);
    const previous = await readMarker(folder);
    await mkdir(folder, { recursive: true });
    const files = await download(ctx, view.outputPath, folder);
    for (const stale of previous?.files ?? []) if (!files.includes(stale)) await rm(join(folder, stale), { force: true });
    const marker: Marker = { job: job.tags[TAG_BATCH_CONTENT] ?? String(node.properties['job']), jobName: job.name, jobArn: job.id, files };
    await writeFile(join(folder, RESULTS_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    return toObserved(node.address, node.name, folder, marker);
  },

  async delete() {
    // Local files: the tool never deletes what it downloaded for the user.
  },

  refresh: (_ctx, observed) => observe(observed.address, observed.name, observed.id),
};
