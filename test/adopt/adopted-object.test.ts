import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/aws/clients.ts';
import type { KindContext } from '../../src/resources/kind.ts';
import { adoptedObjectMatches } from '../../src/resources/adopted-object.ts';
import { startHarness, type Harness } from '../emulator/personalize-helpers.ts';

/** How an adopted S3 object is judged to hold the local file's bytes, without downloading it. */
describe('adoptedObjectMatches', () => {
  let h: Harness;
  let clients: Clients;
  let dir: string;
  const ctx = (): KindContext => ({ clients, pocName: 'shop', region: 'us-east-1', ownerTags: {}, cache: new Map(), resolve: () => undefined });
  const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  const local = (name: string, body: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  beforeAll(async () => {
    h = await startHarness();
    clients = createClients({ region: 'us-east-1', endpoint: h.emu.url, maxAttempts: 1 });
    dir = mkdtempSync(join(tmpdir(), 'poc-adopted-'));
    await h.s3.send(new CreateBucketCommand({ Bucket: 'console-bucket' }));
  });
  afterAll(async () => {
    clients.destroy();
    await h.dispose();
  });

  it('matches a single-part object with the same bytes (size and MD5 ETag), and not one with other bytes of the same size', async () => {
    await h.s3.send(new PutObjectCommand({ Bucket: 'console-bucket', Key: 'a.csv', Body: 'A,B\n1,2\n' }));
    expect(await adoptedObjectMatches(ctx(), 's3://console-bucket/a.csv', local('same.csv', 'A,B\n1,2\n'), sha('A,B\n1,2\n'))).toBe(true);
    expect(await adoptedObjectMatches(ctx(), 's3://console-bucket/a.csv', local('other.csv', 'A,B\n1,3\n'), sha('A,B\n1,3\n'))).toBe(false);
    expect(await adoptedObjectMatches(ctx(), 's3://console-bucket/missing.csv', local('same2.csv', 'A,B\n1,2\n'), sha('A,B\n1,2\n'))).toBe(false);
  });

  it('matches a multipart object by its sha256 metadata only: its ETag is not an MD5 of the bytes', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 'x');
    await new Upload({ client: h.s3, params: { Bucket: 'console-bucket', Key: 'big.csv', Body: big } }).done();
    await new Upload({ client: h.s3, params: { Bucket: 'console-bucket', Key: 'big-tagged.csv', Body: big, Metadata: { sha256: sha(big) } } }).done();
    const file = local('big.csv', big);
    expect(await adoptedObjectMatches(ctx(), 's3://console-bucket/big.csv', file, sha(big))).toBe(false);
    expect(await adoptedObjectMatches(ctx(), 's3://console-bucket/big-tagged.csv', file, sha(big))).toBe(true);
  });
});
