import { CreateDatasetGroupCommand, CreateDatasetImportJobCommand, DescribeDatasetGroupCommand, ListDatasetGroupsCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startHarness, type Harness } from './personalize-helpers.ts';

/** A client that is not the SDK: just the awsJson headers, as the AWS CLI or curl would send. */
async function raw(url: string, op: string, body: string): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonPersonalize.${op}` },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as Record<string, unknown> };
}

describe('Personalize request errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('answers a raw fetch client with awsJson 1.1, epoch-second timestamps and a request id', async () => {
    await h.personalize.send(new CreateDatasetGroupCommand({ name: 'rawclient' }));
    const res = await fetch(h.emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { datasetGroups: { name: string; creationDateTime: unknown }[] };
    expect(body.datasetGroups[0]?.name).toBe('rawclient');
    expect(typeof body.datasetGroups[0]?.creationDateTime).toBe('number');
    expect(Math.abs((body.datasetGroups[0]?.creationDateTime as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('names the member in validation errors and keeps serving', async () => {
    const malformed = await raw(h.emu.url, 'CreateDatasetGroup', '{"name": "x",');
    expect(malformed.status).toBe(400);
    expect(malformed.json.__type).toBe('SerializationException');
    expect(malformed.json.message).toMatch(/not valid JSON/);

    const missing = await raw(h.emu.url, 'CreateDatasetGroup', '{}');
    expect(missing.json).toEqual({ __type: 'ValidationException', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" });

    const wrongType = await raw(h.emu.url, 'CreateDatasetGroup', '{"name": 42}');
    expect(wrongType.json.__type).toBe('ValidationException');
    expect(wrongType.json.message).toMatch(/at 'name' failed to satisfy constraint: Member must be a string/);

    const nested = await raw(h.emu.url, 'CreateDatasetGroup', '{"name": "ok", "tags": [{"tagKey": ""}]}');
    expect(nested.json.message).toMatch(/2 validation errors detected: .*'tags\.1\.member\.tagKey'.*'tags\.1\.member\.tagValue'/);

    const unknown = await raw(h.emu.url, 'CreateRocket', '{}');
    expect(unknown.json.__type).toBe('UnknownOperationException');

    const oversized = await errorOf(h.personalize.send(new CreateDatasetGroupCommand({ name: 'n'.repeat(64) })));
    expect(oversized.name).toBe('ValidationException');
    expect(oversized.message).toMatch(/at 'name' failed to satisfy constraint: Member must have length less than or equal to 63/);
    const pattern = await errorOf(h.personalize.send(new CreateDatasetGroupCommand({ name: '-starts-with-dash' })));
    expect(pattern.message).toMatch(/at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const space = await errorOf(h.personalize.send(new CreateDatasetGroupCommand({ name: 'has space' })));
    expect(space.name).toBe('ValidationException');
    const badDomain = await errorOf(h.personalize.send(new CreateDatasetGroupCommand({ name: 'ok', domain: 'RETAIL' as 'ECOMMERCE' })));
    expect(badDomain.message).toMatch(/at 'domain'.*enum value set/);

    // None of the refused requests created anything, and the server still answers.
    const listed = await h.personalize.send(new ListDatasetGroupsCommand({}));
    expect(listed.datasetGroups?.map((g) => g.name)).toEqual(['rawclient']);
  });

  it('reports unknown resources and missing parents as ResourceNotFoundException', async () => {
    const arn = 'arn:aws:personalize:us-east-1:000000000000:dataset-group/ghost';
    const err = await errorOf(h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain(arn);
    const parent = await errorOf(
      h.personalize.send(
        new CreateDatasetImportJobCommand({
          jobName: 'orphan',
          datasetArn: 'arn:aws:personalize:us-east-1:000000000000:dataset/ghost/INTERACTIONS',
          dataSource: { dataLocation: 's3://b/k.csv' },
        }),
      ),
    );
    expect(parent.name).toBe('ResourceNotFoundException');
    const badArn = await errorOf(h.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: 'not-an-arn' })));
    expect(badArn).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/at 'datasetGroupArn'/) });
  });
});
