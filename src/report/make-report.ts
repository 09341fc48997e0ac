import type { Manifest } from '../manifest/types.ts';
import type { DesiredGraph } from '../plan/graph.ts';
import { solutionVersionAddress } from '../resources/addresses.ts';
import { buildReport } from './build.ts';
import { collectMetrics, declaredSolutions } from './collect.ts';
import type { CollectOptions } from './collect.ts';
import { withLocalIntervals } from './local-intervals.ts';
import type { Report } from './types.ts';

export interface MakeReportOptions extends CollectOptions {
  /**
   * The target is the local emulator, whose evaluation the engine can reproduce: add bootstrap
   * intervals over the held-out users, and paired ones for differences on the same users.
   */
  readonly localIntervals: boolean;
}

/** The data fingerprint poc.yaml would train each solution on now, by `<group>.<solution>`. */
export function desiredFingerprints(manifest: Manifest, graph: DesiredGraph): Map<string, string> {
  const byAddress = new Map(graph.nodes.map((n) => [n.address, n]));
  const out = new Map<string, string>();
  for (const s of declaredSolutions(manifest)) {
    const fingerprint = byAddress.get(solutionVersionAddress(s.group, s.key))?.inputs?.['dataFingerprint'];
    if (fingerprint !== undefined) out.set(`${s.group}.${s.key}`, fingerprint);
  }
  return out;
}

/** Collects every declared solution's metrics, adds intervals on local runs, and builds the report. */
export async function makeReport(manifest: Manifest, graph: DesiredGraph, options: MakeReportOptions): Promise<Report> {
  const collected = await collectMetrics(manifest, options);
  const evaluation = manifest.evaluation === undefined ? {} : { evaluation: manifest.evaluation };
  if (!options.localIntervals) return buildReport({ pocName: manifest.name, solutions: collected, ...evaluation });
  const local = await withLocalIntervals(manifest, collected, desiredFingerprints(manifest, graph));
  const any = local.solutions.some((s) => s.intervals !== undefined);
  return buildReport({ pocName: manifest.name, solutions: local.solutions, ...evaluation, ...(any ? { intervals: local.meta, heldOut: local.heldOut } : {}) });
}
