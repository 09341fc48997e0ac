import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatasetRows } from '../../src/emulator/personalize/index.ts';
import { activeGroup, interactionsCsv, INTERACTIONS_SCHEMA, putObject, startHarness, tempStateDir, waitFor, type Harness } from './personalize-helpers.ts';

const ARN = 'arn:aws:personalize:us-east-1:000000000000';

describe('Personalize state across restarts', () => {
  const open: Harness[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.dispose();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('keeps answered calls and finishes in-flight lifecycles after a restart', async () => {
    const stateDir = tempStateDir();
    const first = await startHarness({ stateDir, durations: { create: 300 } });
    await first.personalize.send(new CreateDatasetGroupCommand({ name: 'kept' }));
    await waitFor(() => first.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: `${ARN}:dataset-group/kept` })), (r) => r.datasetGroup?.status === 'ACTIVE');
    await first.personalize.send(new CreateDatasetGroupCommand({ name: 'inflight' }));
    await first.stop();
    // A half-written temporary file from a crashed writer is never loaded.
    writeFileSync(join(stateDir, 'personalize', 'state.json.99999.tmp'), '{"formatVersion":1,"records":[{"arn');

    const second = await startHarness({ stateDir });
    open.push(second);
    const kept = await second.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: `${ARN}:dataset-group/kept` }));
    expect(kept.datasetGroup?.status).toBe('ACTIVE');
    // The in-flight group settles on its own (no polling needed): wait past its deadline, then look once.
    await new Promise((r) => setTimeout(r, 400));
    const inflight = await second.personalize.send(new DescribeDatasetGroupCommand({ datasetGroupArn: `${ARN}:dataset-group/inflight` }));
    expect(inflight.datasetGroup?.status).toBe('ACTIVE');
  });

  it('restarts an import that was running when the emulator stopped', async () => {
    const stateDir = tempStateDir();
    const first = await startHarness({ stateDir, durations: { import: 500 } });
    const p = first.personalize;
    const datasetGroupArn = await activeGroup(p, 'resume');
    const { schemaArn } = await p.send(new CreateSchemaCommand({ name: 'resume-int', schema: INTERACTIONS_SCHEMA }));
    const { datasetArn } = await p.send(new CreateDatasetCommand({ name: 'resume-int', datasetGroupArn, schemaArn, datasetType: 'INTERACTIONS' }));
    await waitFor(() => p.send(new DescribeDatasetCommand({ datasetArn })), (r) => r.dataset?.status === 'ACTIVE');
    await putObject(first.s3, 'resume', 'i.csv', interactionsCsv(1500));
    const { datasetImportJobArn } = await p.send(new CreateDatasetImportJobCommand({ jobName: 'resume-job', datasetArn, dataSource: { dataLocation: 's3://resume/i.csv' } }));
    await waitFor(() => p.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (r) => r.datasetImportJob?.status === 'CREATE IN_PROGRESS');
    await first.stop();
    expect(openDatasetRows(stateDir, datasetArn ?? '')).toBeUndefined();

    const second = await startHarness({ stateDir });
    open.push(second);
    const done = await waitFor(
      () => second.personalize.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (r) => r.datasetImportJob?.status !== 'CREATE IN_PROGRESS',
    );
    expect(done.datasetImportJob?.status).toBe('ACTIVE');
    expect(openDatasetRows(stateDir, datasetArn ?? '')?.rowCount).toBe(1500);
  });

  it('loses no answered call when the process is killed with SIGKILL, and stops cleanly on SIGTERM', async () => {
    const stateDir = tempStateDir();
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const script = `import { runStandalone } from './src/emulator/standalone.ts';
      const code = await runStandalone({ port: 0, stateDir: ${JSON.stringify(stateDir)}, durations: { create: 60000 }, stdout: (l) => process.stdout.write(l + '\\n') });
      process.stdout.write('exit ' + code + '\\n');`;
    const runChild = async (): Promise<{ url: string; child: ReturnType<typeof spawn>; lines: string[] }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'ignore'] });
      cleanups.push(() => child.kill('SIGKILL'));
      const lines: string[] = [];
      const url = await new Promise<string>((ok, fail) => {
        child.stdout?.setEncoding('utf8').on('data', (text: string) => {
          lines.push(...text.split('\n').filter(Boolean));
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
          if (match?.[1] !== undefined) ok(match[1]);
        });
        child.once('exit', () => fail(new Error(`child exited early: ${lines.join('\n')}`)));
      });
      return { url, child, lines };
    };
    const client = (url: string): PersonalizeClient =>
      new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });

    const a = await runChild();
    const pa = client(a.url);
    await pa.send(new CreateDatasetGroupCommand({ name: 'survivor' }));
    pa.destroy();
    a.child.kill('SIGKILL');
    await once(a.child, 'exit');

    const b = await runChild();
    const pb = client(b.url);
    const described = await pb.send(new DescribeDatasetGroupCommand({ datasetGroupArn: `${ARN}:dataset-group/survivor` }));
    expect(described.datasetGroup?.status).toBe('CREATE PENDING');
    pb.destroy();
    b.child.kill('SIGTERM');
    const [code] = (await once(b.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(b.lines).toContain('exit 0');
  });
});
