import { join } from 'node:path';
import { createClients, type Clients } from '../aws/clients.ts';
import { error, PocError } from '../diagnostics/index.ts';
import { startEmulator, type Durations, type RunningEmulator } from '../emulator/index.ts';
import { flag, stringOption, type ParsedArgs } from './args.ts';
import type { IoHost } from './io.ts';

/** Which account a command talks to. `--local` is never implied: the default is real AWS. */
export type TargetKind = 'aws' | 'endpoint' | 'local';

export interface ConnectedTarget {
  readonly kind: TargetKind;
  readonly clients: Clients;
  readonly region: string;
  readonly endpoint?: string;
  /** Stops the embedded emulator, if any, and releases the clients. */
  close(): Promise<void>;
}

/**
 * Phase durations of the embedded emulator. `POC_EMULATOR_DURATION_MS` sets every phase (tests
 * use 0); unset, the emulator's own small defaults apply.
 */
export function localDurations(env: IoHost['env']): Partial<Durations> | undefined {
  const raw = env['POC_EMULATOR_DURATION_MS'];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new PocError(error('invalid-env', `POC_EMULATOR_DURATION_MS must be a number of milliseconds >= 0; got '${raw}'.`));
  return { create: ms, delete: ms, update: ms, import: ms, training: ms, campaign: ms, stack: ms };
}

export function localStateDir(manifestDir: string): string {
  return join(manifestDir, '.poc', 'local');
}

export async function connectTarget(args: ParsedArgs, io: IoHost, manifestRegion: string, manifestDir: string): Promise<ConnectedTarget> {
  const region = stringOption(args, 'region') ?? manifestRegion;
  const endpoint = stringOption(args, 'endpoint');
  if (flag(args, 'local') && endpoint !== undefined) {
    throw new PocError(error('conflicting-options', '--local and --endpoint cannot be used together: --local starts its own endpoint.'));
  }
  if (flag(args, 'local')) {
    const durations = localDurations(io.env);
    const emulator: RunningEmulator = await startEmulator({ stateDir: localStateDir(manifestDir), region, ...(durations === undefined ? {} : { durations }) });
    const clients = createClients({ region, endpoint: emulator.url });
    return {
      kind: 'local',
      clients,
      region,
      endpoint: emulator.url,
      async close() {
        clients.destroy();
        await emulator.close();
      },
    };
  }
  if (endpoint !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(endpoint)) throw new PocError(error('invalid-endpoint', `--endpoint must be an http(s) URL; got '${endpoint}'.`));
    const clients = createClients({ region, endpoint });
    return { kind: 'endpoint', clients, region, endpoint, async close() { clients.destroy(); } };
  }
  const clients = createClients({ region });
  return { kind: 'aws', clients, region, async close() { clients.destroy(); } };
}
