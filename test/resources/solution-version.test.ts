import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSolutionVersionCommand, ListSolutionVersionsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-personalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { arnBesideGroup, copyExample, useEmulatedPoc } from '../cli/harness.ts';

/** Solution versions against the emulator: adoption of a crashed run's version and the retrain policies. */
describe('solution versions', () => {
  const poc = useEmulatedPoc(copyExample);
  const { cli } = poc;
  const versionChanges = async (): Promise<string[]> =>
    (await poc.plan()).changes.filter((c) => c.kind === 'solutionVersion' && c.actions[0] !== 'no-op').map((c) => `${c.address} ${c.reasons.join(',')}`);
  const solutionArn = (name: string): Promise<string> => arnBesideGroup(poc.personalize, 'retail-poc-baseline', 'solution', name);
  const versions = async (name: string) => (await poc.personalize.send(new ListSolutionVersionsCommand({ solutionArn: await solutionArn(name) }))).solutionVersions ?? [];

  beforeAll(async () => {
    expect((await cli('apply', '--yes')).code).toBe(0);
  }, 60_000);

  it('tags each version with its data fingerprint and adopts a version a crashed run started for the same data', async () => {
    const [first] = await versions('retail-poc-baseline-sims');
    const tags = (await poc.personalize.send(new ListTagsForResourceCommand({ resourceArn: first?.solutionVersionArn ?? '' }))).tags ?? [];
    const fingerprint = tags.find((t) => t.tagKey === 'poc:data-fingerprint')?.tagValue ?? '';
    expect(fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);

    // A run that crashed after CreateSolutionVersion: the newest version carries the same fingerprint.
    await poc.personalize.send(new CreateSolutionVersionCommand({ solutionArn: await solutionArn('retail-poc-baseline-sims'), tags }));
    expect(await versionChanges()).toEqual([]);
    expect((await cli('apply', '--yes')).stdout).toContain('No changes.');
    expect(await versions('retail-poc-baseline-sims')).toHaveLength(2);
  });

  it('retrains a solution whose newest version poc.yaml did not ask for', async () => {
    await poc.personalize.send(new CreateSolutionVersionCommand({ solutionArn: await solutionArn('retail-poc-baseline-popularity') }));
    // Not ours: neither our fingerprint nor our ownership tags.
    expect(await versionChanges()).toEqual(['datasetGroup.baseline.solution.popularity.version data-changed,tags-changed']);
    expect((await cli('apply', '--yes')).code).toBe(0);
    expect(await versionChanges()).toEqual([]);
  });

  it('trains on every apply under retrain: always, and never under manual', async () => {
    const file = join(poc.dir, 'poc.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      original
        .replace('sims: { recipe: aws-sims }', 'sims: { recipe: aws-sims, retrain: always }')
        .replace('popularity: { recipe: aws-popularity-count }', 'popularity: { recipe: aws-popularity-count, retrain: manual }'),
    );
    try {
      const before = (await versions('retail-poc-baseline-sims')).length;
      expect(await versionChanges()).toEqual(['datasetGroup.baseline.solution.sims.version field-changed']);
      expect((await cli('plan')).stdout).toContain('Retrain policy always: trains a new version on every apply');
      expect((await cli('apply', '--yes')).code).toBe(0);
      expect(await versions('retail-poc-baseline-sims')).toHaveLength(before + 1);
      expect(await versionChanges()).toEqual(['datasetGroup.baseline.solution.sims.version field-changed']);

      // manual: a changed data file does not retrain a solution that already has a version.
      const data = join(poc.dir, 'data', 'interactions.csv');
      const bytes = readFileSync(data);
      writeFileSync(data, Buffer.concat([bytes, Buffer.from('U00001,P0001,1732000000,View\n')]));
      try {
        const changes = await versionChanges();
        expect(changes.some((c) => c.startsWith('datasetGroup.baseline.solution.popularity.version'))).toBe(false);
        expect(changes).toContain('datasetGroup.baseline.solution.personalized.version data-changed');
      } finally {
        writeFileSync(data, bytes);
      }
    } finally {
      writeFileSync(file, original);
    }
  }, 60_000);
});
