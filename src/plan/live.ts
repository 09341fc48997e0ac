import type { ObservedResource } from '../resources/kind.ts';

/**
 * What observe found in the account. Invariants: `byAddress` has an entry for every address of
 * the graph it was observed for (`undefined` when absent, including a node whose dependency is
 * absent, which is not called at all); `undeclared` holds resources carrying this POC's tags that
 * match no declared node (same kind and name), each under an address no declared node uses.
 */
export interface LiveState {
  readonly byAddress: ReadonlyMap<string, ObservedResource | undefined>;
  readonly undeclared: readonly ObservedResource[];
}
