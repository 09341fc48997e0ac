/**
 * Apply makespan against the critical path. Emulator phases are scaled to realistic ratios with
 * one unit U (import 15 U, training 60 U, stack 2 U, other creates 1 U; polling starts at U/12
 * and backs off to U, as 5 s / 60 s polling does against real AWS with U = 1 minute). The POC has
 * two dataset groups and five solutions. Each round applies it twice on fresh emulator state:
 *  - one step after another (concurrency 1): the guide's way, and each step's own duration;
 *  - as a DAG (concurrency 16).
 * Both run as `poc apply` does: under the POC's lock, writing the journal around every step.
 * The critical path is the longest chain of dependent steps, weighted by the durations measured
 * in the one-after-another run of the same round. Goal: DAG makespan <= 1.1 x critical path.
 * Run: node --import tsx --expose-gc bench/apply-makespan.bench.ts   (BENCH_UNIT_MS, default 100)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplyEvent } from '../src/apply/events.ts';
import { applyPlan } from '../src/apply/executor.ts';
import { guardApply } from '../src/apply/guard.ts';
import { contextOver } from '../src/apply/observe.ts';
import { makePlan } from '../src/apply/make-plan.ts';
import { buildSteps } from '../src/apply/steps.ts';
import { createClients } from '../src/aws/clients.ts';
import { loadInputs } from '../src/cli/inputs.ts';
import { ownerTags } from '../src/cli/session.ts';
import { startEmulator } from '../src/emulator/index.ts';
import type { Plan } from '../src/plan/types.ts';
import { ENVIRONMENT_ADDRESS } from '../src/resources/addresses.ts';
import { KINDS } from '../src/resources/registry.ts';

const UNIT = Number(process.env['BENCH_UNIT_MS'] ?? 100);
const ROUNDS = 3;
const DURATIONS = { create: UNIT, update: UNIT, delete: UNIT, import: 15 * UNIT, training: 60 * UNIT, campaign: 10 * UNIT, stack: 2 * UNIT };
const POLL = { initialMs: Math.max(1, Math.round(UNIT / 12)), maxMs: UNIT, factor: 2 };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function writePoc(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poc-makespan-'));
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'data'));
  const fields = [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ];
  writeFileSync(join(dir, 'schemas', 'interactions.avsc'), JSON.stringify({ type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' }));
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let i = 0; i < 3000; i++) rows.push(`U${String(i % 120).padStart(3, '0')},P${String((i * 7 + (i % 13)) % 80).padStart(3, '0')},${1_717_200_000 + i * 60},View`);
  writeFileSync(join(dir, 'data', 'interactions.csv'), `${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'poc.yaml'),
    `version: 1
name: makespan
region: us-east-1
environment:
  stack: { name: makespan-env }
schemas:
  interactions: schemas/interactions.avsc
datasetGroups:
  baseline:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      popularity: { recipe: aws-popularity-count }
      personalized: { recipe: aws-user-personalization-v2 }
      sims: { recipe: aws-sims }
  metadata:
    datasets:
      interactions: { schema: interactions, data: data/interactions.csv }
    solutions:
      personalized: { recipe: aws-user-personalization-v2 }
      ranking: { recipe: aws-personalized-ranking-v2 }
`,
  );
  return dir;
}

interface Run {
  readonly makespanMs: number;
  readonly stepMs: ReadonlyMap<string, number>;
  readonly plan: Plan;
}

async function applyOnce(dir: string, concurrency: number): Promise<Run> {
  const state = mkdtempSync(join(tmpdir(), 'poc-makespan-state-'));
  const emu = await startEmulator({ stateDir: state, durations: DURATIONS, faults: {} });
  const clients = createClients({ region: 'us-east-1', endpoint: emu.url });
  try {
    const loaded = await loadInputs('poc.yaml', dir);
    const inputs = loaded.inputs;
    if (inputs === undefined) throw new Error(`the bench POC does not validate: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
    const base = { clients, pocName: inputs.manifest.name, region: 'us-east-1', ownerTags: ownerTags(inputs.manifest.name), cache: new Map<string, Promise<unknown>>() };
    const { plan, live } = await makePlan(inputs.graph, KINDS, base, { manifestPath: 'poc.yaml', manifestDigest: inputs.digest, pocName: inputs.manifest.name, target: { region: 'us-east-1' }, prune: false, now: new Date(0) });
    const began = new Map<string, number>();
    const stepMs = new Map<string, number>();
    const onEvent = (e: ApplyEvent): void => {
      if (e.type === 'start') began.set(e.id, performance.now());
      if (e.type === 'done') stepMs.set(e.id, performance.now() - (began.get(e.id) ?? 0));
    };
    const started = performance.now();
    // As `poc apply` runs it: under the lock, with the journal written before and after each step.
    const envNode = inputs.graph.nodes.find((n) => n.address === ENVIRONMENT_ADDRESS);
    const findBucket = async (): Promise<string | undefined> => {
      const env = envNode === undefined ? undefined : await KINDS.environment.observe(contextOver({ ...base, cache: new Map() }, new Map()), envNode);
      const bucket = env?.readiness === 'ready' ? env.properties['bucket'] : undefined;
      return typeof bucket === 'string' ? bucket : undefined;
    };
    const result = await guardApply({ s3: clients.s3, pocName: inputs.manifest.name, command: 'bench', findBucket }, ({ hooks, signal }) =>
      applyPlan(plan, inputs.graph, KINDS, { ...base, signal }, { live, hooks, concurrency, poll: POLL, onEvent }),
    );
    const makespanMs = performance.now() - started;
    if (result.errors.length > 0) throw new Error(`apply failed: ${result.errors.map((d) => d.message).join('; ')}`);
    return { makespanMs, stepMs, plan };
  } finally {
    clients.destroy();
    await emu.close();
    rmSync(state, { recursive: true, force: true });
  }
}

/** The longest chain through the step DAG, each step weighted by its measured duration. */
function criticalPath(run: Run, graph: Parameters<typeof buildSteps>[1]): { ms: number; chain: string[] } {
  const { steps } = buildSteps(run.plan, graph, KINDS);
  const finish = new Map<string, { ms: number; chain: string[] }>();
  const visit = (id: string): { ms: number; chain: string[] } => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    const step = steps.find((s) => s.id === id);
    const before = (step?.deps ?? []).map(visit).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] as string[] });
    const mine = { ms: before.ms + (run.stepMs.get(id) ?? 0), chain: [...before.chain, id] };
    finish.set(id, mine);
    return mine;
  };
  return steps.map((s) => visit(s.id)).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] });
}

const dir = writePoc();
const loaded = await loadInputs('poc.yaml', dir);
if (loaded.inputs === undefined) throw new Error('the bench POC does not validate');
const graph = loaded.inputs.graph;
const sequential: number[] = [];
const dag: number[] = [];
const critical: number[] = [];
const ratios: number[] = [];
let chain: string[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const one = await applyOnce(dir, 1);
  const many = await applyOnce(dir, 16);
  const path = criticalPath(one, graph);
  chain = path.chain;
  sequential.push(one.makespanMs);
  dag.push(many.makespanMs);
  critical.push(path.ms);
  ratios.push(many.makespanMs / path.ms);
  console.log(`round ${round}: one after another ${(one.makespanMs / 1000).toFixed(2)} s, DAG ${(many.makespanMs / 1000).toFixed(2)} s, critical path ${(path.ms / 1000).toFixed(2)} s, ratio ${(many.makespanMs / path.ms).toFixed(3)} (${one.stepMs.size} steps)`);
}
rmSync(dir, { recursive: true, force: true });
const ratio = median(ratios);
console.log(`unit ${UNIT} ms; critical path: ${chain.join(' -> ')}`);
console.log(`median: one after another ${(median(sequential) / 1000).toFixed(2)} s | DAG ${(median(dag) / 1000).toFixed(2)} s | critical path ${(median(critical) / 1000).toFixed(2)} s`);
console.log(`median DAG / critical path: ${ratio.toFixed(3)} (goal <= 1.1: ${ratio <= 1.1 ? 'met' : 'NOT met'}); one after another / DAG: ${(median(sequential) / median(dag)).toFixed(2)}x`);
