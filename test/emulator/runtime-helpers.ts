import { CreateCampaignCommand, CreateFilterCommand, DescribeCampaignCommand, DescribeFilterCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { waitFor } from './personalize-helpers.ts';

/** Runtime and Events clients for the emulator, configured as a user would. */
export function runtimeClients(emu: RunningEmulator): { runtime: PersonalizeRuntimeClient; events: PersonalizeEventsClient; destroy(): void } {
  const common = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  const runtime = new PersonalizeRuntimeClient(common);
  const events = new PersonalizeEventsClient(common);
  return {
    runtime,
    events,
    destroy() {
      runtime.destroy();
      events.destroy();
    },
  };
}

export async function activeCampaign(p: PersonalizeClient, name: string, solutionVersionArn: string): Promise<string> {
  const { campaignArn = '' } = await p.send(new CreateCampaignCommand({ name, solutionVersionArn, minProvisionedTPS: 1 }));
  await waitFor(() => p.send(new DescribeCampaignCommand({ campaignArn })), (r) => r.campaign?.status === 'ACTIVE');
  return campaignArn;
}

export async function activeFilter(p: PersonalizeClient, name: string, datasetGroupArn: string, filterExpression: string): Promise<string> {
  const { filterArn = '' } = await p.send(new CreateFilterCommand({ name, datasetGroupArn, filterExpression }));
  await waitFor(() => p.send(new DescribeFilterCommand({ filterArn })), (r) => r.filter?.status === 'ACTIVE');
  return filterArn;
}

/** The error's name, or 'none' when the call succeeded. */
export async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'none';
  } catch (err) {
    return (err as Error).name;
  }
}
