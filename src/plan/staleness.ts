import { ABSENT } from './fingerprint.ts';
import type { StateFingerprints } from './fingerprint.ts';
import { PLAN_FORMAT_VERSION } from './types.ts';
import type { Plan } from './types.ts';

/** Why a saved plan no longer matches: stable codes for tests and CI, one line each for humans. */
export type StaleCode =
  | 'format-version' // the plan was written by an incompatible version of the tool
  | 'manifest-changed' // poc.yaml, a schema or a data file changed since planning
  | 'desired-changed' // what poc.yaml asks of this resource changed since planning
  | 'appeared' // it was absent when planned and exists now
  | 'disappeared' // it existed when planned and is absent now
  | 'changed-outside' // it exists as it did, but its fields or tags changed
  | 'not-in-plan'; // declared or tagged now, unknown to the plan

export interface StaleDifference {
  readonly code: StaleCode;
  /** Absent for differences about the plan as a whole. */
  readonly address?: string;
  readonly message: string;
}

export interface FreshState extends StateFingerprints {
  readonly manifestDigest: string;
}

/**
 * Every way a saved plan differs from what is true now. Empty means the plan is still valid.
 * Pure: the caller observes and fingerprints (see `fingerprintState`).
 */
export function checkStaleness(plan: Plan, fresh: FreshState): StaleDifference[] {
  const out: StaleDifference[] = [];
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    out.push({ code: 'format-version', message: `The plan has format version ${String(plan.formatVersion)}; this tool reads version ${PLAN_FORMAT_VERSION}.` });
    return out;
  }
  if (plan.manifest.digest !== fresh.manifestDigest) {
    out.push({ code: 'manifest-changed', message: `${plan.manifest.path}, its schemas or its data changed since the plan was made.` });
  }
  for (const [address, before] of Object.entries(plan.desired).sort()) {
    const now = fresh.desired[address];
    if (now === undefined) out.push({ code: 'desired-changed', address, message: `${address}: no longer declared in poc.yaml.` });
    else if (now !== before) out.push({ code: 'desired-changed', address, message: `${address}: poc.yaml or its data asks for something else than when planned.` });
  }
  for (const [address, before] of Object.entries(plan.observed).sort()) {
    const now = fresh.observed[address] ?? ABSENT;
    if (now === before) continue;
    if (before === ABSENT) out.push({ code: 'appeared', address, message: `${address}: was absent, now exists.` });
    else if (now === ABSENT) out.push({ code: 'disappeared', address, message: `${address}: existed, now absent.` });
    else out.push({ code: 'changed-outside', address, message: `${address}: changed outside poc.yaml since the plan was made.` });
  }
  const known = new Set([...Object.keys(plan.observed), ...Object.keys(plan.desired)]);
  for (const address of [...new Set([...Object.keys(fresh.desired), ...Object.keys(fresh.observed)])].sort()) {
    if (known.has(address)) continue;
    const exists = (fresh.observed[address] ?? ABSENT) !== ABSENT;
    out.push({ code: 'not-in-plan', address, message: `${address}: ${exists ? 'exists' : 'is declared'} now but is not in the plan.` });
  }
  return out;
}
