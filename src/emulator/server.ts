import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCloudFormationService } from './cloudformation/index.ts';
import { DEFAULT_DURATIONS, type EmulatorContext, type EmulatorOptions } from './context.ts';
import { createPersonalizeService } from './personalize/index.ts';
import { createFaultInjector, faultsFromEnv, type FaultCounts } from './faults.ts';
import { createS3Service } from './s3/index.ts';
import { createRuntimeService, isRuntimeRequest } from './runtime/index.ts';
import type { EmulatedService } from './service.ts';
import { send } from './http.ts';

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: all a client needs, with dummy credentials. */
  readonly url: string;
  readonly port: number;
  readonly context: EmulatorContext;
  /** Faults injected so far; all zero without a fault config. */
  readonly faults: Readonly<FaultCounts>;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';

/**
 * Which service a request is for, by its wire protocol: Personalize is awsJson1_1 (an
 * `X-Amz-Target` header), CloudFormation is the query protocol (a form-encoded POST to `/`),
 * and everything else is S3's REST protocol (path-style).
 */
export type Protocol = 'personalize' | 'cloudformation' | 's3' | 'runtime';

export function routeOf(req: IncomingMessage): Protocol {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonPersonalize.')) return 'personalize';
  // Personalize Runtime and Events are restJson1: POST /recommendations, /events... with a JSON body.
  if (isRuntimeRequest(req)) return 'runtime';
  const type = req.headers['content-type'] ?? '';
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'POST' && path === '/' && type.startsWith('application/x-www-form-urlencoded')) return 'cloudformation';
  return 's3';
}

/** Starts the emulator on 127.0.0.1 (port 0: an ephemeral one). State lives in `stateDir`. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  // Explicit options win; the CLI's emulators (embedded and standalone) take POC_EMULATOR_FAULTS.
  const faultConfig = options.faults ?? faultsFromEnv(process.env);
  const injector = faultConfig === undefined ? undefined : createFaultInjector(faultConfig);
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const base = {
    stateDir,
    durations: { ...DEFAULT_DURATIONS, ...options.durations },
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    region: options.region ?? 'us-east-1',
    now: () => Date.now(),
  };
  const s3 = createS3Service(base);
  const context: EmulatorContext = { ...base, objects: s3.objects };
  const services: Record<Protocol, EmulatedService> = {
    s3,
    personalize: createPersonalizeService(context),
    cloudformation: createCloudFormationService(context),
    runtime: createRuntimeService(context),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const protocol = routeOf(req);
    if (injector !== undefined && (await injector.before(req, res, protocol === 'runtime' ? 'personalize' : protocol)) === 'faulted') return;
    await services[protocol].handle(req, res);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in a handler must not take the server down or leave the client hanging.
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ __type: 'InternalFailure', message: String(err) }));
      else res.destroy();
    });
  });
  // Longer than any client keeps an idle socket between calls in a run: when the server closes an
  // idle keep-alive socket just as a client reuses it, the client sees ECONNRESET (seen in tests
  // with retries off). AWS's own front ends keep idle connections about a minute.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    context,
    faults: injector?.counts ?? { throttle: 0, error5xx: 0, reset: 0, lostResponse: 0, stuck: 0 },
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      for (const service of Object.values(services)) await service.close();
    },
  };
}
