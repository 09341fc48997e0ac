// Validates a 10M-row interactions file from the project's generator with every check on, and
// compares with Python's csv module reading the same file and collecting distinct users and items
// (measured in the same run). Each side runs in its own process so peak RSS is its own. The machine
// is shared, so CPU time is the figure to compare; the load average is printed with it.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 10_000_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const dir = join(tmpdir(), `poc-bench-validate-${ROWS}`);
const file = join(dir, 'interactions.csv');
const root = join(import.meta.dirname, '..');

if (!existsSync(file)) {
  const gen = `import { generateRetailData } from './src/data/synthetic/index.ts';
await generateRetailData({ users: ${Math.max(1000, Math.round(ROWS / 50))}, items: ${Math.max(500, Math.round(ROWS / 200))}, interactions: ${ROWS}, seed: 7 }, ${JSON.stringify(dir)});`;
  const g = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', gen], { cwd: root, stdio: 'inherit' });
  if (g.status !== 0) throw new Error('generator failed');
}
const bytes = statSync(file).size;

const ours = `import { validateDataFile } from './src/data/index.ts';
const schema = { type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }] };
const t0 = performance.now(); const c0 = process.cpuUsage();
const r = await validateDataFile({ file: ${JSON.stringify(file)}, schema, datasetType: 'INTERACTIONS', filters: [{ label: 'purchases', eventType: 'Purchase' }] });
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ wall: performance.now() - t0, cpu: (c.user + c.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, rows: r.profile.rows, errors: r.totals.error }));`;
const python = `import csv, json, resource, time
t0 = time.perf_counter(); c0 = time.process_time(); users = set(); items = set(); n = 0
with open(${JSON.stringify(file)}, newline='') as f:
    r = csv.reader(f); next(r)
    for row in r:
        users.add(row[0]); items.add(row[1]); n += 1
print(json.dumps({'wall': (time.perf_counter() - t0) * 1000, 'cpu': (time.process_time() - c0) * 1000, 'rssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'rows': n}))`;

interface Run { wall: number; cpu: number; rssMb: number; rows: number }
const run = (cmd: string, args: string[]): Run => {
  const p = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (p.status !== 0) throw new Error(p.stderr);
  return JSON.parse(p.stdout.trim().split('\n').pop() ?? '{}') as Run;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const oursRuns: Run[] = [];
const pyRuns: Run[] = [];
for (let k = 0; k < RUNS; k += 1) {
  oursRuns.push(run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', ours]));
  pyRuns.push(run('python3', ['-c', python]));
}
const mb = bytes / 1e6;
const report = (name: string, runs: Run[]): { wall: number; cpu: number } => {
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  console.log(`${name}: median wall ${(wall / 1000).toFixed(2)} s (${(mb / (wall / 1000)).toFixed(1)} MB/s), cpu ${(cpu / 1000).toFixed(2)} s (${(mb / (cpu / 1000)).toFixed(1)} MB/s), peak RSS ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB, rows ${runs[0]?.rows}`);
  return { wall, cpu };
};
console.log(`file ${file}: ${mb.toFixed(0)} MB, ${ROWS} rows, ${RUNS} run(s) each, node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const a = report('validateDataFile (all checks)', oursRuns);
const b = report('python csv + distinct sets (baseline)', pyRuns);
console.log(`ratio (baseline time / ours): wall ${(b.wall / a.wall).toFixed(2)}x, cpu ${(b.cpu / a.cpu).toFixed(2)}x`);
