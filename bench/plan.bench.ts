/**
 * Plan cost (issue 3): API calls `plan` makes per managed resource (goal: at most 2 plus
 * pagination) and plan wall time with 100 ms of latency added to every call (goal: at most
 * 1.5 x dependency depth x latency). The example POC is applied to an emulator first; then plan
 * runs with SDK middleware that counts calls and sleeps before each one. Baseline in the same
 * run: the same plan with no added latency, and the ideal depth x latency.
 * Run: node --import tsx bench/plan.bench.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../src/apply/executor.ts';
import { makePlan } from '../src/apply/make-plan.ts';
import type { BaseContext } from '../src/apply/observe.ts';
import { createClients, type Clients } from '../src/aws/clients.ts';
import { loadInputs } from '../src/cli/inputs.ts';
import { ownerTags } from '../src/cli/session.ts';
import { startEmulator, ZERO_DURATIONS } from '../src/emulator/index.ts';
import type { DesiredGraph } from '../src/plan/graph.ts';
import { KINDS } from '../src/resources/registry.ts';

const LATENCY_MS = 100;
const ROUNDS = 5;

function instrument(clients: Clients, latencyMs: number): { calls: () => number } {
  let calls = 0;
  for (const client of [clients.personalize, clients.s3, clients.cloudformation]) {
    // The stacks differ in their generic types; the middleware itself is type-agnostic.
    (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        calls += 1;
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'benchLatency' },
    );
  }
  return { calls: () => calls };
}

/** Levels of the longest dependency chain: the lower bound on sequential round trips. */
function depth(graph: DesiredGraph): number {
  const memo = new Map<string, number>();
  const byAddress = new Map(graph.nodes.map((n) => [n.address, n]));
  const level = (address: string): number => {
    const known = memo.get(address);
    if (known !== undefined) return known;
    const node = byAddress.get(address);
    const d = 1 + Math.max(0, ...(node?.dependsOn ?? []).map(level));
    memo.set(address, d);
    return d;
  };
  return Math.max(...graph.nodes.map((n) => level(n.address)));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const emulator = await startEmulator({ stateDir: mkdtempSync(join(tmpdir(), 'poc-bench-plan-')), durations: ZERO_DURATIONS });
const loaded = await loadInputs('poc.yaml', process.cwd());
if (loaded.inputs === undefined) throw new Error('the example poc.yaml does not load');
const inputs = loaded.inputs;
const base = (clients: Clients): BaseContext => ({ clients, pocName: inputs.manifest.name, region: 'us-east-1', ownerTags: ownerTags(inputs.manifest.name), cache: new Map() });
const options = { manifestPath: 'poc.yaml', manifestDigest: inputs.digest, pocName: inputs.manifest.name, target: { region: 'us-east-1' }, prune: false, now: new Date(0) };

const setup = createClients({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1 });
const first = await makePlan(inputs.graph, KINDS, base(setup), options);
const applied = await applyPlan(first.plan, inputs.graph, KINDS, base(setup), { live: first.live, poll: { initialMs: 20, maxMs: 200 } });
if (applied.failed.length > 0) throw new Error(`setup apply failed: ${applied.failed.join(', ')}`);

/** `concurrency` undefined: observe's default. */
async function measure(latencyMs: number, concurrency: number | undefined): Promise<{ ms: number; calls: number }> {
  const times: number[] = [];
  let calls = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const clients = createClients({ region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1 });
    const counter = instrument(clients, latencyMs);
    const started = performance.now();
    const { plan } = await makePlan(inputs.graph, KINDS, base(clients), concurrency === undefined ? options : { ...options, concurrency });
    times.push(performance.now() - started);
    if (plan.summary.create + plan.summary.update + plan.summary.replace + plan.summary.delete !== 0) throw new Error('plan after apply is not empty');
    calls = counter.calls();
    clients.destroy();
  }
  return { ms: median(times), calls };
}

const resources = inputs.graph.nodes.length;
const levels = depth(inputs.graph);
const ideal = levels * LATENCY_MS;
console.log(`example POC: ${resources} managed resources, dependency depth ${levels}`);
const local = await measure(0, 4);
console.log(`no added latency: plan ${local.ms.toFixed(0)} ms (median of ${ROUNDS}), ${local.calls} calls = ${(local.calls / resources).toFixed(2)} per resource`);
for (const concurrency of [4, 16, undefined]) {
  const slow = await measure(LATENCY_MS, concurrency);
  console.log(
    `+${LATENCY_MS} ms per call, observe concurrency ${concurrency ?? 'default (32)'}: plan ${slow.ms.toFixed(0)} ms (median of ${ROUNDS}) = ${(slow.ms / ideal).toFixed(2)} x depth x latency (goal <= 1.5), ${slow.calls} calls`,
  );
}
setup.destroy();
await emulator.close();
