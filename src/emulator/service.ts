import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectReader } from './context.ts';

/** One emulated AWS service behind the shared HTTP server. */
export interface EmulatedService {
  /** Answers one request; must always answer (an error response rather than a throw or a hang). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Called once when the server stops: flush, cancel timers. */
  close(): Promise<void>;
}

export interface S3Service extends EmulatedService {
  /** In-process access for other emulated services (Personalize reads import data through it). */
  readonly objects: ObjectReader;
}
