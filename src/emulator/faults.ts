import type { IncomingMessage, ServerResponse } from 'node:http';
import { error, PocError } from '../diagnostics/index.ts';
import { createRng } from '../engine/rng.ts';
import { requestId, send } from './http.ts';
import { escapeXml, XML_DECLARATION } from './s3/xml.ts';

/**
 * Faults the emulator injects on the wire, so retry, resume and convergence code meets what real
 * AWS does to long runs. Invariants: every probability is in [0, 1] and is drawn per request from
 * one RNG seeded by `seed`, so a run is reproducible for a given request order; no fault changes
 * stored state except `lostResponse`, which lets the service finish the call and then drops the
 * answer (a create that happened though the client never heard of it).
 */
export interface FaultConfig {
  /** A throttling error in the protocol's own form (ThrottlingException, SlowDown, Throttling). */
  readonly throttle?: number;
  /** A 500 InternalFailure or a 503 ServiceUnavailable, half each. */
  readonly error5xx?: number;
  /** The connection is reset before the request is handled. */
  readonly reset?: number;
  /** The request is handled, then the connection is reset instead of answering. */
  readonly lostResponse?: number;
  /** Added to every request, in milliseconds. */
  readonly latencyMs?: number;
  /** Chance that a Personalize resource seen ACTIVE reads as CREATE PENDING for `stuckMs` more. */
  readonly stuckPending?: number;
  readonly stuckMs?: number;
  readonly seed?: number;
}

/** The environment variable the CLI's embedded and standalone emulators read faults from. */
export const FAULTS_ENV = 'POC_EMULATOR_FAULTS';

const PROBABILITIES = ['throttle', 'error5xx', 'reset', 'lostResponse', 'stuckPending'] as const;
const NUMBERS = ['latencyMs', 'stuckMs', 'seed'] as const;

/** Parses `POC_EMULATOR_FAULTS` JSON; throws a PocError naming the bad key. */
export function parseFaultConfig(text: string): FaultConfig {
  const fail = (why: string): never => {
    throw new PocError(error('invalid-env', `${FAULTS_ENV} ${why}`, { hint: `e.g. ${FAULTS_ENV}='{"throttle":0.1,"error5xx":0.02,"seed":7}'` }));
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be a JSON object.');
  const config: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    const isProbability = (PROBABILITIES as readonly string[]).includes(key);
    if (!isProbability && !(NUMBERS as readonly string[]).includes(key)) fail(`has an unknown key '${key}'; known: ${[...PROBABILITIES, ...NUMBERS].join(', ')}.`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (isProbability && v > 1)) fail(`key '${key}' must be a number ${isProbability ? 'from 0 to 1' : '>= 0'}; got ${JSON.stringify(v)}.`);
    config[key] = v as number;
  }
  return config as FaultConfig;
}

/** The fault config from the environment, if set. */
export function faultsFromEnv(env: Readonly<Record<string, string | undefined>>): FaultConfig | undefined {
  const raw = env[FAULTS_ENV];
  return raw === undefined || raw.trim() === '' ? undefined : parseFaultConfig(raw);
}

export type WireProtocol = 'personalize' | 'cloudformation' | 's3';

/** What the server does with a request: answer it itself (a fault was sent) or pass it on. */
export type FaultDecision = 'faulted' | 'pass';

/** Counts of injected faults, for tests that must see faults actually happen. */
export type FaultCounts = Record<'throttle' | 'error5xx' | 'reset' | 'lostResponse' | 'stuck', number>;

export interface FaultInjector {
  /** Before the service sees the request: may delay, answer with an error or reset the connection. */
  before(req: IncomingMessage, res: ServerResponse, protocol: WireProtocol): Promise<FaultDecision>;
  readonly counts: FaultCounts;
}

export function createFaultInjector(config: FaultConfig, now: () => number = Date.now): FaultInjector {
  const rng = createRng(config.seed ?? 1);
  const counts: FaultCounts = { throttle: 0, error5xx: 0, reset: 0, lostResponse: 0, stuck: 0 };
  const chance = (p: number | undefined): boolean => p !== undefined && p > 0 && rng() < p;
  const stuck = new Map<string, number>();
  const stuckUntil = (arn: string): number => {
    let until = stuck.get(arn);
    if (until === undefined) {
      until = chance(config.stuckPending) ? now() + (config.stuckMs ?? 2_000) : 0;
      stuck.set(arn, until);
    }
    return until;
  };
  return {
    counts,
    async before(req, res, protocol) {
      if (config.latencyMs !== undefined && config.latencyMs > 0) await new Promise((r) => setTimeout(r, config.latencyMs));
      if (chance(config.reset)) {
        counts.reset += 1;
        req.socket.destroy();
        return 'faulted';
      }
      if (chance(config.throttle)) {
        counts.throttle += 1;
        await drain(req);
        sendFault(res, protocol, 'throttle');
        return 'faulted';
      }
      if (chance(config.error5xx)) {
        counts.error5xx += 1;
        await drain(req);
        sendFault(res, protocol, rng() < 0.5 ? 'internal' : 'unavailable');
        return 'faulted';
      }
      if (chance(config.lostResponse)) {
        counts.lostResponse += 1;
        dropAnswer(res);
      } else if (protocol === 'personalize' && (config.stuckPending ?? 0) > 0) {
        holdPending(res, (arn) => {
          const hit = stuckUntil(arn) > now();
          if (hit) counts.stuck += 1;
          return hit;
        });
      }
      return 'pass';
    },
  };
}

async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  await new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

type FaultKind = 'throttle' | 'internal' | 'unavailable';

/** Each protocol's own error form, so the SDK classifies the fault as the real service's. */
function sendFault(res: ServerResponse, protocol: WireProtocol, kind: FaultKind): void {
  const status = kind === 'throttle' ? (protocol === 's3' ? 503 : 400) : kind === 'internal' ? 500 : 503;
  const id = requestId();
  if (protocol === 'personalize') {
    const type = kind === 'throttle' ? 'ThrottlingException' : kind === 'internal' ? 'InternalFailure' : 'ServiceUnavailable';
    send(res, status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': id, 'x-amzn-errortype': type }, JSON.stringify({ __type: type, message: `Injected fault: ${type}` }));
  } else if (protocol === 'cloudformation') {
    const code = kind === 'throttle' ? 'Throttling' : kind === 'internal' ? 'InternalFailure' : 'ServiceUnavailable';
    const body = `${XML_DECLARATION}<ErrorResponse><Error><Type>${kind === 'throttle' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${escapeXml(`Injected fault: ${code}`)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
    send(res, status, { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body);
  } else {
    const code = kind === 'throttle' ? 'SlowDown' : kind === 'internal' ? 'InternalError' : 'ServiceUnavailable';
    const body = `${XML_DECLARATION}<Error><Code>${code}</Code><Message>${escapeXml(`Injected fault: ${code}`)}</Message><RequestId>${id}</RequestId></Error>`;
    send(res, status, { 'content-type': 'application/xml', 'x-amz-request-id': id }, body);
  }
}

/**
 * Lets the handler run to completion but resets the connection instead of answering. The casts
 * replace overloaded `ServerResponse` methods, whose overload sets no single function type matches.
 */
function dropAnswer(res: ServerResponse): void {
  const destroy = (): ServerResponse => {
    res.socket?.destroy();
    return res;
  };
  res.writeHead = destroy as unknown as ServerResponse['writeHead'];
  res.write = (() => true) as unknown as ServerResponse['write'];
  res.end = destroy as unknown as ServerResponse['end'];
}

/**
 * Rewrites a Personalize answer so resources chosen as stuck read `CREATE PENDING` instead of
 * `ACTIVE`: only the bytes sent change, the stored resource is untouched. A resource is named by
 * the `<thing>Arn` field matching its wrapper (`datasetGroup` -> `datasetGroupArn`).
 */
function holdPending(res: ServerResponse, isStuck: (arn: string) => boolean): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
  let status = 200;
  let headers: Record<string, string> = {};
  res.writeHead = ((s: number, h?: Record<string, string>) => {
    status = s;
    headers = h ?? {};
    return res;
  }) as unknown as ServerResponse['writeHead'];
  res.end = ((chunk?: unknown) => {
    let body = chunk;
    if (status === 200 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const rewritten = rewriteStatuses(String(chunk), isStuck);
      if (rewritten !== undefined) {
        body = rewritten;
        headers = { ...headers, 'content-length': String(Buffer.byteLength(rewritten)) };
      }
    }
    writeHead(status, headers);
    return end(body);
  }) as unknown as ServerResponse['end'];
}

function rewriteStatuses(text: string, isStuck: (arn: string) => boolean): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  let changed = false;
  const visit = (item: unknown, singular: string): void => {
    if (typeof item !== 'object' || item === null) return;
    const record = item as Record<string, unknown>;
    const arn = record[`${singular}Arn`];
    if (record['status'] === 'ACTIVE' && typeof arn === 'string' && isStuck(arn)) {
      record['status'] = 'CREATE PENDING';
      changed = true;
    }
  };
  for (const [key, value] of Object.entries(parsed)) {
    if (Array.isArray(value)) for (const item of value) visit(item, key.endsWith('s') ? key.slice(0, -1) : key);
    else visit(value, key);
  }
  return changed ? JSON.stringify(parsed) : undefined;
}
