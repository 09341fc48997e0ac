import { GetSolutionMetricsCommand, type SolutionVersionSummary } from '@aws-sdk/client-personalize';
import type { Clients } from '../aws/clients.ts';
import { datasetGroupName, solutionName } from '../manifest/naming.ts';
import type { Manifest, SolutionSpec } from '../manifest/types.ts';
import { signalOf } from '../resources/call-options.ts';
import { orUndefined } from '../resources/errors.ts';
import type { KindContext } from '../resources/kind.ts';
import { listDatasetGroups, listTags } from '../resources/personalize-lists.ts';
import { solutionArnOf } from '../resources/solution.ts';
import { listSolutionVersions } from '../resources/solution-lists.ts';
import { TAG_DATA_FINGERPRINT } from '../resources/solution-version.ts';
import type { SolutionResult } from './types.ts';

/** Every declared solution, in declaration order, with its group's key. */
export function declaredSolutions(manifest: Manifest): SolutionSpec[] {
  return Object.values(manifest.datasetGroups).flatMap((g) => Object.values(g.solutions ?? {}));
}

function hasMetadata(manifest: Manifest, group: string): boolean {
  const datasets = manifest.datasetGroups[group]?.datasets;
  return datasets?.items !== undefined || datasets?.users !== undefined;
}

/** The newest ACTIVE version; equal creation times go to the one listed later. */
export function newestActive(versions: readonly SolutionVersionSummary[]): SolutionVersionSummary | undefined {
  let best: SolutionVersionSummary | undefined;
  for (const v of versions) {
    if (v.status !== 'ACTIVE') continue;
    if (best === undefined || (v.creationDateTime?.getTime() ?? 0) >= (best.creationDateTime?.getTime() ?? 0)) best = v;
  }
  return best;
}

export interface CollectOptions {
  readonly clients: Clients;
  readonly pocName: string;
  readonly region: string;
  readonly signal?: AbortSignal;
}

/**
 * Reads the metrics of the newest ACTIVE version of every declared solution: ListDatasetGroups
 * once, then per solution ListSolutionVersions, ListTagsForResource and GetSolutionMetrics.
 * A solution that does not exist or has no ACTIVE version is reported as such, not as an error.
 */
export async function collectMetrics(manifest: Manifest, options: CollectOptions): Promise<SolutionResult[]> {
  const ctx: KindContext = {
    clients: options.clients,
    pocName: options.pocName,
    region: options.region,
    ownerTags: {},
    cache: new Map(),
    resolve: () => undefined,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const groups = await listDatasetGroups(ctx);
  return Promise.all(
    declaredSolutions(manifest).map(async (spec): Promise<SolutionResult> => {
      const name = solutionName(manifest.name, spec.group, spec.key);
      const base = { ref: `${spec.group}.${spec.key}`, group: spec.group, key: spec.key, name, recipe: spec.recipe, metadata: hasMetadata(manifest, spec.group) };
      const groupArn = groups.find((g) => g.name === datasetGroupName(manifest.name, spec.group))?.datasetGroupArn;
      const versions = groupArn === undefined ? undefined : await orUndefined(listSolutionVersions(ctx, solutionArnOf(groupArn, name)));
      if (versions === undefined) return { ...base, status: 'not-created', note: 'the solution does not exist yet; run poc apply' };
      const version = newestActive(versions);
      if (version?.solutionVersionArn === undefined) {
        const training = versions.some((v) => v.status?.includes('PENDING') === true || v.status?.includes('IN_PROGRESS') === true);
        return { ...base, status: 'no-active-version', note: training ? 'a version is still training' : 'no version has trained successfully' };
      }
      const arn = version.solutionVersionArn;
      const [tags, out] = await Promise.all([
        orUndefined(listTags(ctx, arn)),
        options.clients.personalize.send(new GetSolutionMetricsCommand({ solutionVersionArn: arn }), signalOf(ctx)),
      ]);
      const fingerprint = tags?.[TAG_DATA_FINGERPRINT];
      return {
        ...base,
        status: 'measured',
        version: { arn, ...(version.creationDateTime === undefined ? {} : { createdAt: version.creationDateTime.toISOString() }), ...(fingerprint === undefined ? {} : { dataFingerprint: fingerprint }) },
        metrics: sortedMetrics(out.metrics ?? {}),
      };
    }),
  );
}

function sortedMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
