import { describe, expect, it } from 'vitest';
import { detectDrift, driftOutcome } from '../../src/plan/drift.ts';
import { renderDriftJson } from '../../src/render/drift-json.ts';
import { DRIFT_MARKER, renderDriftMarkdown } from '../../src/render/drift-markdown.ts';
import { renderDriftText } from '../../src/render/drift-text.ts';
import { OWNER_TAGS } from '../apply/fake-cloud.ts';
import { liveMatching, sampleGraph, strayGroup } from './builders.ts';
import { expectGolden } from './golden.ts';
import { kinds } from './sample-plan.ts';

const graph = sampleGraph();
const drift = (live: ReturnType<typeof liveMatching>) => detectDrift({ graph, live, kinds, ownerTags: OWNER_TAGS, pocName: 'demo' });

function driftedLive() {
  return liveMatching(
    graph,
    {
      environment: { props: { retention: 1, secret: 'live-secret-value' } },
      'schema.interactions': 'absent',
      'dataset.baseline.interactions': { status: 'CREATE FAILED', readiness: 'failed', failureReason: 'Insufficient privileges', tags: {} },
      'datasetImport.baseline.interactions': { props: { dataHash: 'old000' } },
    },
    [strayGroup()],
  );
}

describe('drift', () => {
  it('is in sync when the account matches, exit code 0', () => {
    const report = drift(liveMatching(graph));
    expect(report.findings).toEqual([]);
    expect(driftOutcome(report)).toEqual({ status: 'in-sync', exitCode: 0 });
    expect(renderDriftText(report)).toBe('No drift. The account matches poc.yaml.\n');
  });

  it('finds each kind of drift, exit code 2', () => {
    const report = drift(driftedLive());
    expect(report.findings.map((f) => [f.type, f.address])).toEqual([
      ['changed', 'environment'],
      ['missing', 'schema.interactions'],
      ['failed', 'dataset.baseline.interactions'],
      ['tags-changed', 'dataset.baseline.interactions'],
      ['data-changed', 'datasetImport.baseline.interactions'],
      ['undeclared', 'datasetGroup.demo-old'],
    ]);
    expect(driftOutcome(report)).toEqual({ status: 'drift', exitCode: 2 });
    expect(JSON.stringify(report)).not.toContain('live-secret-value');
    expect(JSON.stringify(report)).not.toContain('s3cr3t');
  });

  it('renders text, markdown and json that match the golden files', () => {
    const report = drift(driftedLive());
    const text = renderDriftText(report);
    expect(text.split('\n')[0]).toBe('Drift: 1 missing, 1 failed, 1 changed, 1 data-changed, 1 tags-changed, 1 undeclared.');
    expect(text).toContain('retention: poc.yaml 30, account 1');
    expect(text).toContain('secret: (sensitive) differs');
    expectGolden('drift.txt', text);
    const md = renderDriftMarkdown(report);
    expect(md.startsWith(`${DRIFT_MARKER}\n`)).toBe(true);
    expectGolden('drift.md', md);
    const json = renderDriftJson(report);
    expect(JSON.parse(json)).toMatchObject({ status: 'drift', counts: { missing: 1, undeclared: 1 } });
    expectGolden('drift.json', json);
  });
});
