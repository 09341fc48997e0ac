import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import { startEmulator, ZERO_DURATIONS, type RunningEmulator } from '../../src/emulator/index.ts';
import type { KindContext, ObservedResource, ResourceKind } from '../../src/resources/kind.ts';
import { MANAGED_BY, TAG_MANAGED_BY, TAG_POC_NAME } from '../../src/resources/tags.ts';

/**
 * An emulator on an ephemeral port with real SDK clients, every call counted by service and
 * operation (an SDK middleware), and a `KindContext` whose `resolve` reads what the test observed.
 */
export interface Harness {
  readonly emu: RunningEmulator;
  readonly clients: Clients;
  readonly dir: string;
  /** `Personalize:DescribeDatasetGroupCommand` -> calls since the last `resetCalls`. */
  readonly calls: Map<string, number>;
  resetCalls(): void;
  totalCalls(): number;
  /** A fresh context (empty cache) for `pocName`; `known` answers `resolve`. */
  context(pocName: string, known?: Map<string, ObservedResource>): KindContext;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'poc-kinds-'));
  const emu = await startEmulator({ stateDir: join(dir, 'state'), durations: ZERO_DURATIONS });
  const clients = createClients({ region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 });
  const calls = new Map<string, number>();
  const counter =
    (service: string) =>
    <A, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      const key = `${service}:${String(context.commandName)}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return next(args);
    };
  const options = { step: 'initialize', name: 'countCalls' } as const;
  clients.personalize.middlewareStack.add(counter('Personalize'), options);
  clients.s3.middlewareStack.add(counter('S3'), options);
  clients.cloudformation.middlewareStack.add(counter('CloudFormation'), options);
  return {
    emu,
    clients,
    dir,
    calls,
    resetCalls: () => calls.clear(),
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    context: (pocName, known = new Map()) => ({
      clients,
      pocName,
      region: 'us-east-1',
      ownerTags: { [TAG_POC_NAME]: pocName, [TAG_MANAGED_BY]: MANAGED_BY },
      cache: new Map(),
      resolve: (address) => known.get(address),
    }),
    async close() {
      clients.destroy();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `refresh` until the resource is ready or failed, as the executor does. */
export async function settle(kind: ResourceKind, ctx: KindContext, observed: ObservedResource, timeoutMs = 20_000): Promise<ObservedResource> {
  const deadline = Date.now() + timeoutMs;
  let current: ObservedResource | undefined = observed;
  for (;;) {
    if (current === undefined) throw new Error(`${observed.address} disappeared while waiting`);
    if (current.readiness === 'ready' || current.readiness === 'failed') return current;
    if (Date.now() > deadline) throw new Error(`${observed.address} still ${current.status}`);
    await sleep(20);
    current = await kind.refresh(ctx, current);
  }
}

/** Polls `refresh` until the resource is gone. */
export async function gone(kind: ResourceKind, ctx: KindContext, observed: ObservedResource, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await kind.refresh(ctx, observed)) !== undefined) {
    if (Date.now() > deadline) throw new Error(`${observed.address} was not deleted`);
    await sleep(20);
  }
}

/** An interactions CSV with `rows` records over 40 users and 30 items. */
export function interactionsCsv(rows: number, header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'): string {
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(`u${i % 40},i${(i * 7) % 30},${1_700_000_000 + i},click`);
  return `${lines.join('\n')}\n`;
}
