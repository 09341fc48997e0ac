import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_LENGTH,
  checkName,
  dataObjectKey,
  datasetGroupName,
  datasetName,
  defaultStackName,
  importJobName,
  longestGroupName,
  schemaName,
} from '../../src/manifest/index.ts';

const SHA = 'ab12cd34ef567890'.padEnd(64, '0');

describe('generated names', () => {
  it('derives every resource name from the POC name and the manifest keys', () => {
    expect(datasetGroupName('retail-poc', 'baseline')).toBe('retail-poc-baseline');
    expect(schemaName('retail-poc', 'items', SHA)).toBe('retail-poc-items-ab12cd34');
    expect(datasetName('retail-poc', 'metadata', 'users')).toBe('retail-poc-metadata-users');
    expect(importJobName('retail-poc', 'metadata', 'users', SHA)).toBe('retail-poc-metadata-users-ab12cd34');
    expect(defaultStackName('retail-poc')).toBe('retail-poc-env');
    expect(dataObjectKey('retail-poc', SHA, '/abs/path/data/items.csv')).toBe(`retail-poc/data/${SHA}/items.csv`);
  });

  it('gives a retried import job a two-digit suffix and refuses a third digit', () => {
    expect(importJobName('p', 'g', 'items', SHA, 0)).toBe('p-g-items-ab12cd34');
    expect(importJobName('p', 'g', 'items', SHA, 3)).toBe('p-g-items-ab12cd34-03');
    expect(importJobName('p', 'g', 'items', SHA, 99)).toBe('p-g-items-ab12cd34-99');
    expect(() => importJobName('p', 'g', 'items', SHA, 100)).toThrow(RangeError);
  });

  it('checks names against the service rule of 1-63 characters and its pattern', () => {
    expect(checkName('a'.repeat(MAX_NAME_LENGTH))).toBeUndefined();
    expect(checkName('a'.repeat(MAX_NAME_LENGTH + 1))).toBe('too-long');
    expect(checkName('-leading-hyphen')).toBe('bad-pattern');
    expect(checkName('has space')).toBe('bad-pattern');
    expect(checkName('')).toBe('bad-pattern');
  });

  it('measures a group by its longest name, the import job with its retry suffix', () => {
    const longest = longestGroupName('retail-poc', 'metadata', ['interactions', 'users']);
    expect(longest).toBe('retail-poc-metadata-interactions-00000000-99');
    expect(longest.length).toBe(importJobName('retail-poc', 'metadata', 'interactions', SHA, 1).length);
    expect(longestGroupName('retail-poc', 'g', [])).toBe('retail-poc-g');
  });
});
