import type { Durations } from './context.ts';
import { startEmulator } from './server.ts';

export interface StandaloneOptions {
  readonly port: number;
  readonly stateDir: string;
  readonly durations?: Partial<Durations>;
  /** Receives the one line a user needs: the URL to point clients at. */
  readonly stdout: (line: string) => void;
}

/**
 * Serves the emulator until SIGINT or SIGTERM, then closes it (state is already on disk: every
 * answered call was saved) and resolves 0. Rejects
 * when the server cannot start (e.g. the port is taken), for the caller to report.
 */
export async function runStandalone(options: StandaloneOptions): Promise<number> {
  const emulator = await startEmulator({
    port: options.port,
    stateDir: options.stateDir,
    ...(options.durations === undefined ? {} : { durations: options.durations }),
  });
  options.stdout(`listening on ${emulator.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  return 0;
}
