/**
 * Emulator benchmarks (Personalize control plane):
 *  1. Describe-style calls per second over HTTP keep-alive, against a bare node http server
 *     answering a fixed JSON body (the ceiling for any handler on this machine).
 *  2. Import throughput of a 1 M-row interactions CSV (CreateDatasetImportJob to ACTIVE), against
 *     reading the same file with fs streams and counting newlines.
 * Everything runs in this one process, so "per second" means on one core.
 * Run: node --import tsx --expose-gc bench/emulator.bench.ts
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { parseCsvStream } from '../src/data/csv.ts';
import { startEmulator, ZERO_DURATIONS } from '../src/emulator/index.ts';

const ROUNDS = 5;
const CALLS_PER_ROUND = 5000;
const CONCURRENCY = 16;
const IMPORT_ROWS = 1_000_000;
const IMPORT_ROUNDS = 3;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Sends `count` POSTs with `CONCURRENCY` in flight over keep-alive; returns calls per second. */
async function hammer(port: number, headers: Record<string, string>, body: string, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
        if (res.statusCode !== 200) fail(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', ok);
      });
      req.on('error', fail);
      req.end(body);
    });
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent += 1;
      await one();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return count / seconds;
}

async function describeBench(stateDir: string): Promise<{ emulator: number; baseline: number }> {
  const emu = await startEmulator({ stateDir, durations: ZERO_DURATIONS });
  const client = new PersonalizeClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
  const sample = await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
  const fixed = JSON.stringify({ datasetGroup: { ...sample.datasetGroup, creationDateTime: 1, lastUpdatedDateTime: 1 } });
  const bare = createServer((_req, res) => {
    _req.resume();
    _req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(fixed) });
      res.end(fixed);
    });
  });
  bare.keepAliveTimeout = 5000;
  await new Promise<void>((ok) => bare.listen(0, '127.0.0.1', ok));
  const barePort = (bare.address() as AddressInfo).port;
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.DescribeDatasetGroup' };
  const body = JSON.stringify({ datasetGroupArn });
  const emuRates: number[] = [];
  const bareRates: number[] = [];
  await hammer(emu.port, headers, body, 1000); // warm-up
  await hammer(barePort, headers, body, 1000);
  for (let i = 0; i < ROUNDS; i += 1) {
    globalThis.gc?.();
    emuRates.push(await hammer(emu.port, headers, body, CALLS_PER_ROUND));
    globalThis.gc?.();
    bareRates.push(await hammer(barePort, headers, body, CALLS_PER_ROUND));
  }
  client.destroy();
  await emu.close();
  await new Promise<void>((ok) => bare.close(() => ok()));
  return { emulator: median(emuRates), baseline: median(bareRates) };
}

async function writeInteractions(path: string): Promise<number> {
  const out = createWriteStream(path);
  let chunk = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n';
  for (let i = 0; i < IMPORT_ROWS; i += 1) {
    chunk += `user-${i % 25_000},item-${(i * 7919) % 40_000},${1_700_000_000 + i},${i % 5 === 0 ? 'purchase' : 'view'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'close');
  return statSync(path).size;
}

async function countNewlines(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let i = chunk.indexOf(10);
    while (i !== -1) {
      n += 1;
      i = chunk.indexOf(10, i + 1);
    }
  }
  return n;
}

/** The project's CSV parser alone: the ceiling for any import that checks every record. */
async function parseOnly(path: string): Promise<number> {
  let n = 0;
  await parseCsvStream(createReadStream(path) as AsyncIterable<Buffer>, () => {
    n += 1;
  });
  return n;
}

/** MB/s of wall-clock time and of this process's CPU time (user + system), one entry per run. */
interface Rates {
  readonly wall: number[];
  readonly cpu: number[];
}

/** Runs `work` once, after a GC, and records its rates. CPU time is the figure to compare on a shared machine. */
async function measure(into: Rates, bytes: number, work: () => Promise<void>): Promise<void> {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  into.wall.push(bytes / 1e6 / ((performance.now() - start) / 1000));
  into.cpu.push(bytes / 1e6 / ((used.user + used.system) / 1e6));
}

async function importBench(stateDir: string, csvPath: string, bytes: number): Promise<{ emulator: Rates; baseline: Rates; parser: Rates }> {
  const emu = await startEmulator({ stateDir, durations: ZERO_DURATIONS });
  const common = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  const p = new PersonalizeClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  await new Upload({ client: s3, params: { Bucket: 'bench', Key: 'interactions.csv', Body: createReadStream(csvPath) } }).done();
  const { datasetGroupArn } = await p.send(new CreateDatasetGroupCommand({ name: 'import-bench' }));
  const poll = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await poll(() => p.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (r) => r.datasetGroup?.status === 'ACTIVE');
  const schema = JSON.stringify({
    type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
    fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }],
  });
  const { schemaArn } = await p.send(new CreateSchemaCommand({ name: 'import-bench', schema }));
  const { datasetArn } = await p.send(new CreateDatasetCommand({ name: 'import-bench', datasetGroupArn, schemaArn, datasetType: 'Interactions' }));
  await poll(() => p.send(new DescribeDatasetCommand({ datasetArn })), (r) => r.dataset?.status === 'ACTIVE');
  const emu_: Rates = { wall: [], cpu: [] };
  const base: Rates = { wall: [], cpu: [] };
  const parse: Rates = { wall: [], cpu: [] };
  for (let i = 0; i < IMPORT_ROUNDS; i += 1) {
    await measure(emu_, bytes, async () => {
      const { datasetImportJobArn } = await p.send(new CreateDatasetImportJobCommand({ jobName: `bench-${i}`, datasetArn, dataSource: { dataLocation: 's3://bench/interactions.csv' } }));
      const job = await poll(() => p.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (r) => r.datasetImportJob?.status === 'ACTIVE' || r.datasetImportJob?.status === 'CREATE FAILED');
      if (job.datasetImportJob?.status !== 'ACTIVE') throw new Error(`import failed: ${job.datasetImportJob?.failureReason}`);
    });
    await measure(base, bytes, async () => {
      const lines = await countNewlines(csvPath);
      if (lines !== IMPORT_ROWS + 1) throw new Error(`counted ${lines} lines`);
    });
    await measure(parse, bytes, async () => {
      if ((await parseOnly(csvPath)) !== IMPORT_ROWS + 1) throw new Error('parser miscounted');
    });
  }
  p.destroy();
  s3.destroy();
  await emu.close();
  return { emulator: emu_, baseline: base, parser: parse };
}

const work = mkdtempSync(join(tmpdir(), 'poc-emulator-bench-'));
try {
  console.log(`node ${process.version}, ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls (${CONCURRENCY} in flight); ${IMPORT_ROUNDS} imports of ${IMPORT_ROWS} rows`);
  if (process.env['BENCH_IMPORT_ONLY'] !== '1') {
    const d = await describeBench(join(work, 'describe'));
    console.log(`DescribeDatasetGroup: median ${d.emulator.toFixed(0)} calls/s; bare http baseline ${d.baseline.toFixed(0)}/s; ratio ${(d.emulator / d.baseline).toFixed(2)} (goal >= 2000/s)`);
  }
  const csvPath = join(work, 'interactions.csv');
  const bytes = await writeInteractions(csvPath);
  const imp = await importBench(join(work, 'import'), csvPath, bytes);
  const show = (r: Rates): string => `wall ${median(r.wall).toFixed(1)} MB/s [${r.wall.map((x) => x.toFixed(1)).join(', ')}], CPU ${median(r.cpu).toFixed(1)} MB/s [${r.cpu.map((x) => x.toFixed(1)).join(', ')}]`;
  console.log(`Import ${IMPORT_ROWS} rows (${(bytes / 1e6).toFixed(1)} MB), goal >= 50 MB/s: ${show(imp.emulator)}`);
  console.log(`  fs newline-count baseline: ${show(imp.baseline)}; import/baseline CPU ratio ${(median(imp.emulator.cpu) / median(imp.baseline.cpu)).toFixed(2)}`);
  console.log(`  src/data/csv.ts parsing alone: ${show(imp.parser)}; import/parser CPU ratio ${(median(imp.emulator.cpu) / median(imp.parser.cpu)).toFixed(2)}`);
  console.log(`  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
