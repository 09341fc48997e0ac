import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import type { Diagnostic } from '../../src/diagnostics/index.ts';
import { loadManifest } from '../../src/manifest/index.ts';

const FIXTURES = 'test/fixtures/manifest';
const fixture = (name: string): string => `${FIXTURES}/${name}`;

function only(diagnostics: readonly Diagnostic[]): Diagnostic {
  expect(diagnostics.map(formatDiagnostic)).toHaveLength(1);
  return diagnostics[0] as Diagnostic;
}

describe('loadManifest: one fixture per kind of error, each pointing at file:line:column', () => {
  // [fixture, code, file shown, line, column, path, words the message must contain]
  const cases: [string, string, string, number, number, string, string][] = [
    ['malformed.yaml', 'yaml-syntax', fixture('malformed.yaml'), 10, 1, '', 'Flow map'],
    ['duplicate-key.yaml', 'yaml-syntax', fixture('duplicate-key.yaml'), 4, 1, '', 'unique'],
    ['unresolved-alias.yaml', 'yaml-alias', fixture('unresolved-alias.yaml'), 5, 17, '', 'Unresolved alias'],
    ['wrong-type.yaml', 'wrong-type', fixture('wrong-type.yaml'), 8, 14, 'datasetGroups.main.protect', 'expected boolean'],
    ['unknown-key.yaml', 'unknown-key', fixture('unknown-key.yaml'), 8, 5, 'datasetGroups.main.datsets', 'did you mean "datasets"'],
    ['missing-data.yaml', 'data-file-missing', fixture('missing-data.yaml'), 11, 15, 'datasetGroups.main.datasets.interactions.data', 'data/no-such-file.csv does not exist'],
    ['data-is-directory.yaml', 'data-file-not-a-file', fixture('data-is-directory.yaml'), 9, 51, 'datasetGroups.main.datasets.interactions.data', 'not a regular file'],
    ['name-too-long.yaml', 'name-too-long', fixture('name-too-long.yaml'), 8, 3, 'datasetGroups.with-metadata', 'reach 74 characters'],
    ['schema-not-json.yaml', 'schema-invalid-json', fixture('schemas/not-json.avsc'), 6, 3, 'schemas.items', 'not valid JSON'],
    ['unresolved-schema.yaml', 'unknown-schema', fixture('unresolved-schema.yaml'), 9, 31, 'datasetGroups.main.datasets.interactions.schema', 'did you mean "interactions"'],
    ['unreal-region.yaml', 'unknown-region', fixture('unreal-region.yaml'), 3, 9, 'region', 'did you mean "eu-west-1"'],
    ['record-name-mismatch.yaml', 'schema-type-mismatch', fixture('record-name-mismatch.yaml'), 11, 24, 'datasetGroups.main.datasets.items.schema', 'record named Items'],
  ];

  it.each(cases)('%s reports %s', async (name, code, file, line, column, path, words) => {
    const result = await loadManifest(fixture(name));
    expect(result.manifest).toBeUndefined();
    const d = only(result.diagnostics);
    expect({ code: d.code, severity: d.severity, file: d.file, line: d.line, column: d.column }).toEqual({ code, severity: 'error', file, line, column });
    expect(d.path).toBe(path === '' ? undefined : path);
    expect(d.message).toContain(words);
    expect(d.message).not.toContain('\n');
  });

  it('reports Avro rule violations at their line and column inside the .avsc file', async () => {
    const result = await loadManifest(fixture('schema-bad-fields.yaml'));
    expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ['avro-reserved-field-type', fixture('schemas/bad-fields.avsc'), 8, 36],
      ['avro-field-type-invalid', fixture('schemas/bad-fields.avsc'), 9, 31],
    ]);
  });

  it('checks what domain dataset groups need of their schemas, and that a schema serves one domain', async () => {
    const result = await loadManifest(fixture('domain-problems.yaml'));
    expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.path}`)).toEqual([
      '14:31 error schema-domain-conflict datasetGroups.video.datasets.interactions.schema',
      '15:24 error domain-schema-field datasetGroups.video.datasets.items.schema',
      '16:3 warning no-interactions-dataset datasetGroups.catalogue-only',
      '18:24 error schema-domain-conflict datasetGroups.catalogue-only.datasets.items.schema',
    ]);
    expect(result.diagnostics[1]?.message).toContain('GENRES');
  });

  it('reports every problem of a file in one run, in source order', async () => {
    const result = await loadManifest(fixture('many-errors.yaml'));
    expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([
      '3:9 unknown-region',
      '5:12 unknown-key',
      '8:10 schema-file-missing',
      '12:51 data-file-missing',
      '12:78 invalid-value',
      '13:24 unknown-schema',
      '14:8 wrong-type',
    ]);
    const lines = result.diagnostics.map(formatDiagnostic);
    expect(lines[1]).toBe(`${fixture('many-errors.yaml')}:5:12: error [unknown-key] unknown key "nmae"; did you mean "name"? (at environment.stack.nmae)`);
    expect(lines[4]).toContain('did you mean "FULL"');
  });
});

describe('loadManifest: valid manifests', () => {
  it('loads the example poc.yaml at the top of the repository without a single diagnostic', async () => {
    const result = await loadManifest('poc.yaml');
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const m = result.manifest;
    expect(m?.name).toBe('retail-poc');
    expect(m?.environment).toEqual({ mode: 'stack', stackName: 'retail-poc-env' });
    expect(Object.keys(m?.datasetGroups ?? {})).toEqual(['baseline', 'metadata']);
    expect(Object.keys(m?.datasetGroups['metadata']?.datasets ?? {})).toEqual(['interactions', 'items', 'users']);
    expect(m?.schemas['items']?.datasetType).toBe('ITEMS');
    expect(m?.schemas['items']?.domain).toBeUndefined();
    expect(m?.datasetGroups['baseline']?.datasets.interactions?.data).toBe(resolve('data/interactions.csv'));
  });

  it('fills defaults and resolves paths against the manifest directory', async () => {
    const result = await loadManifest(fixture('valid.yaml'));
    expect(result.diagnostics).toEqual([]);
    const m = result.manifest;
    expect(m).toBeDefined();
    if (m === undefined) return;
    expect(m.environment).toEqual({ mode: 'existing', bucket: 'fixture-bucket', roleArn: 'arn:aws:iam::123456789012:role/PersonalizeS3' });
    expect(m.prune).toBe(true);
    expect(m.validation).toEqual({ thresholds: { missingValues: 0.2, minInteractions: 5000 }, maxErrors: 10 });
    const group = m.datasetGroups['main'];
    expect(group?.domain).toBe('ECOMMERCE');
    expect(m.schemas['items']?.domain).toBe('ECOMMERCE');
    expect(group?.protect).toBe(true);
    expect(group?.at).toEqual({ file: fixture('valid.yaml'), line: 10, column: 3 });
    const interactions = group?.datasets.interactions;
    expect(interactions).toMatchObject({ type: 'INTERACTIONS', importMode: 'INCREMENTAL', dataAsWritten: 'data/interactions.csv', data: resolve(FIXTURES, 'data/interactions.csv') });
    expect(group?.datasets.items?.importMode).toBe('FULL');
    expect(m.source.file).toBe(resolve(fixture('valid.yaml')));
    expect(m.source.text).toBe(await readFile(fixture('valid.yaml'), 'utf8'));
    expect(m.source.locate(['datasetGroups', 'main', 'datasets', 'items', 'data'])).toEqual({ file: fixture('valid.yaml'), line: 15, column: 37 });
  });

  it('hashes a schema by its canonical text, so formatting does not change its version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
    try {
      const compact = JSON.stringify(JSON.parse(await readFile('schemas/users.avsc', 'utf8')));
      await writeFile(join(dir, 'users.avsc'), compact);
      await writeFile(join(dir, 'interactions.avsc'), await readFile('schemas/interactions.avsc'));
      await writeFile(join(dir, 'i.csv'), 'x');
      await writeFile(join(dir, 'poc.yaml'), 'version: 1\nname: t\nregion: us-east-1\nschemas: { users: users.avsc, interactions: interactions.avsc }\ndatasetGroups: { g: { datasets: { interactions: { schema: interactions, data: i.csv }, users: { schema: users, data: i.csv } } } }\n');
      const copy = await loadManifest(join(dir, 'poc.yaml'));
      const original = await loadManifest('poc.yaml');
      expect(copy.diagnostics).toEqual([]);
      expect(copy.manifest?.schemas['users']?.sha256).toBe(original.manifest?.schemas['users']?.sha256);
      expect(copy.manifest?.schemas['users']?.sha256).not.toBe(original.manifest?.schemas['interactions']?.sha256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loadManifest: the file itself', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says so when the manifest does not exist', async () => {
    const d = only((await loadManifest(join(dir, 'nope.yaml'))).diagnostics);
    expect([d.code, d.file]).toEqual(['manifest-missing', join(dir, 'nope.yaml')]);
  });

  it('says so when the manifest is empty', async () => {
    await writeFile(join(dir, 'empty.yaml'), '# nothing here\n');
    expect(only((await loadManifest(join(dir, 'empty.yaml'))).diagnostics).code).toBe('manifest-empty');
  });

  it('rejects a manifest that is not UTF-8', async () => {
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(only((await loadManifest(join(dir, 'latin1.yaml'))).diagnostics).code).toBe('manifest-not-utf8');
  });

  it('names the missing required keys of an empty mapping', async () => {
    await writeFile(join(dir, 'bare.yaml'), 'version: 2\n');
    const result = await loadManifest(join(dir, 'bare.yaml'));
    expect(result.diagnostics.map((d) => `${d.code} ${d.path}`).sort()).toEqual([
      'invalid-value version',
      'missing-key datasetGroups',
      'missing-key name',
      'missing-key region',
      'missing-key schemas',
    ]);
  });

  it('suggests the threshold name a typo was meant to be', async () => {
    await writeFile(join(dir, 'thresholds.yaml'), 'version: 1\nname: t\nregion: us-east-1\nschemas: {}\ndatasetGroups: {}\nvalidation:\n  thresholds:\n    missingValue: 0.2\n');
    const result = await loadManifest(join(dir, 'thresholds.yaml'));
    const typo = result.diagnostics.find((d) => d.code === 'unknown-key');
    expect(typo).toMatchObject({ line: 8, column: 5, path: 'validation.thresholds.missingValue' });
    expect(typo?.message).toContain('did you mean "missingValues"');
  });

  it('rejects a POC name that AWS resources cannot carry, and a bad environment', async () => {
    await writeFile(
      join(dir, 'names.yaml'),
      'version: 1\nname: Retail_POC\nregion: us-east-1\nenvironment: { stack: {}, existing: { bucket: b, roleArn: nope } }\nschemas: { "bad key": x.avsc }\ndatasetGroups: {}\n',
    );
    const result = await loadManifest(join(dir, 'names.yaml'));
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.path}`)).toEqual([
      '2:7 invalid-format name',
      '4:14 invalid-value environment',
      '4:47 invalid-format environment.existing.bucket',
      '4:59 invalid-format environment.existing.roleArn',
      '5:12 invalid-key schemas.bad key',
      '5:23 schema-file-missing schemas.bad key',
      '6:16 invalid-value datasetGroups',
    ]);
  });
});
