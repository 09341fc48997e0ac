import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/data/thresholds.ts';
import { MANIFEST_SCHEMA_FILE, PERSONALIZE_REGIONS } from '../../src/manifest/index.ts';

type SchemaNode = { properties?: Record<string, SchemaNode>; examples?: unknown[]; additionalProperties?: unknown; definitions?: Record<string, SchemaNode> };

describe('schemas/poc.schema.json', () => {
  it('offers editors the same regions and threshold names the tool accepts', async () => {
    const schema = JSON.parse(await readFile(MANIFEST_SCHEMA_FILE, 'utf8')) as SchemaNode;
    expect(schema.properties?.['region']?.examples).toEqual([...PERSONALIZE_REGIONS]);
    const thresholds = schema.properties?.['validation']?.properties?.['thresholds'];
    expect(Object.keys(thresholds?.properties ?? {}).sort()).toEqual(Object.keys(DEFAULT_THRESHOLDS).sort());
  });

  it('closes every object, so a typo anywhere is an unknown key rather than silently ignored', async () => {
    const schema = JSON.parse(await readFile(MANIFEST_SCHEMA_FILE, 'utf8')) as SchemaNode;
    const open: string[] = [];
    const visit = (node: SchemaNode, at: string): void => {
      if (node.properties !== undefined && node.additionalProperties !== false) open.push(at);
      for (const [k, child] of Object.entries(node.properties ?? {})) visit(child, `${at}.${k}`);
      for (const [k, child] of Object.entries(node.definitions ?? {})) visit(child, `#${k}`);
    };
    visit(schema, '$');
    expect(open).toEqual([]);
  });
});
