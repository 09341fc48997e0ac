import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateAvroSchema, validateDatasetGroupFiles, type DatasetGroupReport } from '../../src/data/index.ts';
import type { AvroRecordSchema } from '../../src/manifest/types.ts';
import { renderDataReportJson } from '../../src/render/data-profile-json.ts';
import { renderDataReportMarkdown } from '../../src/render/data-profile-markdown.ts';
import { renderDataReportText } from '../../src/render/data-profile-text.ts';

const data = '/work/shared/data/online-retail';
const schemas = join(import.meta.dirname, '..', 'fixtures', 'online-retail');
const text = (name: string): string => readFileSync(join(schemas, `${name}.avsc`), 'utf8');
const schema = (name: string): AvroRecordSchema => JSON.parse(text(name)) as AvroRecordSchema;

describe('Online Retail (real data)', () => {
  let report: DatasetGroupReport;
  beforeAll(async () => {
    report = await validateDatasetGroupFiles(
      {
        interactions: { file: join(data, 'interactions.csv'), schema: schema('interactions') },
        items: { file: join(data, 'items.csv'), schema: schema('items') },
        users: { file: join(data, 'users.csv'), schema: schema('users') },
      },
      { filters: [{ label: 'purchases-only', eventType: 'purchase' }] },
    );
  });

  it('has valid schemas', () => {
    for (const n of ['interactions', 'items', 'users']) expect(validateAvroSchema(schema(n), `${n}.avsc`, undefined, text(n))).toEqual([]);
  });

  it('validates without errors', () => {
    for (const f of report.files) expect(f.findings.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.group.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warns about the Christmas 2010 closure and nothing else', () => {
    const warnings = [...report.files.flatMap((f) => f.findings), ...report.group].filter((d) => d.severity === 'warning');
    expect(warnings.map((w) => w.code)).toEqual(['activity-gap']);
    expect(warnings[0]?.message).toContain('2010-12-23 (335)');
  });

  it('profiles what the README says', () => {
    const p = report.files[0]?.profile;
    expect(p?.rows).toBe(387_763);
    expect(p?.interactions).toMatchObject({ users: 4338, items: 3665, distinctEventTypes: 1, suggestedRetraining: 'weekly' });
    expect(p?.interactions?.filters[0]).toMatchObject({ interactions: 387_763 });
    expect(p?.interactions?.duplicateEventShare).toBeLessThan(0.01);
    expect(report.files[2]?.profile.columns.find((c) => c.name === 'COUNTRY')?.distinct).toBe(37);
  });

  it('renders as text, markdown and JSON', () => {
    const t = renderDataReportText(report);
    expect(t).toContain('interactions.csv (INTERACTIONS): 387763 rows, 0 error(s), 1 warning(s)');
    expect(t).toMatch(/warning \[activity-gap\]/);
    const md = renderDataReportMarkdown(report);
    expect(md).toContain('| `activity-gap` |');
    const json = JSON.parse(renderDataReportJson(report)) as { formatVersion: number; files: { profile: { rows: number } }[] };
    expect(json.formatVersion).toBe(1);
    expect(json.files.map((f) => f.profile.rows)).toEqual([387_763, 3665, 4338]);
    expect(renderDataReportJson(report)).toBe(renderDataReportJson(report));
  });
});
