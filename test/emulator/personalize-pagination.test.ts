import { CreateDatasetGroupCommand, ListDatasetGroupsCommand, ListSchemasCommand, paginateListDatasetGroups } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startHarness, type Harness } from './personalize-helpers.ts';

describe('Personalize pagination', () => {
  let h: Harness;
  const names = Array.from({ length: 105 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
  beforeAll(async () => {
    h = await startHarness();
    for (const name of names) await h.personalize.send(new CreateDatasetGroupCommand({ name }));
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('returns at most 100 by default and a token for the rest, in a stable order', async () => {
    const first = await h.personalize.send(new ListDatasetGroupsCommand({}));
    expect(first.datasetGroups).toHaveLength(100);
    expect(first.nextToken).toBeTypeOf('string');
    const second = await h.personalize.send(new ListDatasetGroupsCommand({ nextToken: first.nextToken }));
    expect(second.datasetGroups).toHaveLength(5);
    expect(second.nextToken).toBeUndefined();
    const all = [...(first.datasetGroups ?? []), ...(second.datasetGroups ?? [])].map((g) => g.name);
    expect(all).toEqual(names);
  });

  it('honours maxResults and works with the SDK paginator', async () => {
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateListDatasetGroups({ client: h.personalize, pageSize: 30 }, {})) {
      pages.push(page.datasetGroups?.length ?? 0);
      seen.push(...(page.datasetGroups ?? []).map((g) => g.name ?? ''));
    }
    expect(pages).toEqual([30, 30, 30, 15]);
    expect(seen).toEqual(names);
  });

  it('neither repeats nor skips when resources are created between pages', async () => {
    const first = await h.personalize.send(new ListDatasetGroupsCommand({ maxResults: 50 }));
    await h.personalize.send(new CreateDatasetGroupCommand({ name: 'page-late' }));
    const rest = await h.personalize.send(new ListDatasetGroupsCommand({ maxResults: 100, nextToken: first.nextToken }));
    const seen = [...(first.datasetGroups ?? []), ...(rest.datasetGroups ?? [])].map((g) => g.name);
    expect(seen).toEqual([...names, 'page-late']);
  });

  it('refuses a malformed token, a token from another list, and maxResults out of range', async () => {
    const bad = await errorOf(h.personalize.send(new ListDatasetGroupsCommand({ nextToken: 'not-a-token' })));
    expect(bad.name).toBe('InvalidNextTokenException');
    const first = await h.personalize.send(new ListDatasetGroupsCommand({ maxResults: 1 }));
    const foreign = await errorOf(h.personalize.send(new ListSchemasCommand({ nextToken: first.nextToken })));
    expect(foreign.name).toBe('InvalidNextTokenException');
    const range = await errorOf(h.personalize.send(new ListDatasetGroupsCommand({ maxResults: 101 })));
    expect(range).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/at 'maxResults'.*less than or equal to 100/) });
    const zero = await errorOf(h.personalize.send(new ListDatasetGroupsCommand({ maxResults: 0 })));
    expect(zero.name).toBe('ValidationException');
  });
});
