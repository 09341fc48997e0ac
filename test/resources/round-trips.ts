import type { Clients } from '../../src/aws/clients.ts';

/**
 * Counts sequential round trips, independent of machine speed: every SDK call is held until the
 * calls let go before it have all answered and no new call has arrived for `quietMs`, then the
 * whole held set goes at once. A call made in answer to another lands in a later wave, so the
 * number of waves is the longest chain of calls that wait on each other.
 */
export interface RoundTripGate {
  waves(): number;
  calls(): readonly string[];
}

export function gateRoundTrips(clients: Clients, quietMs = 150): RoundTripGate {
  const held: (() => void)[] = [];
  const seen: string[] = [];
  let inFlight = 0;
  let waves = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(flush, quietMs);
  };
  const flush = (): void => {
    if (inFlight > 0 || held.length === 0) return;
    waves += 1;
    for (const release of held.splice(0)) {
      inFlight += 1;
      release();
    }
  };
  const middleware =
    <A, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      seen.push(String(context.commandName));
      await new Promise<void>((release) => {
        held.push(release);
        schedule();
      });
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) schedule();
      }
    };
  const options = { step: 'finalizeRequest', name: 'roundTripGate' } as const;
  clients.personalize.middlewareStack.add(middleware, options);
  clients.s3.middlewareStack.add(middleware, options);
  clients.cloudformation.middlewareStack.add(middleware, options);
  return { waves: () => waves, calls: () => seen };
}
