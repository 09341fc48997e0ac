import { DescribeCampaignCommand, DescribeFilterCommand, DescribeRecommenderCommand, ListDatasetGroupsCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { error, PocError } from '../diagnostics/index.ts';
import { arnInAccountOf } from '../resources/arn.ts';
import { paginate } from '../resources/personalize-lists.ts';
import type { ServingRef } from './recommend-refs.ts';

/** The ARN of a dataset group by its AWS name, or undefined when the account has none by that name. */
async function groupArn(personalize: PersonalizeClient, name: string): Promise<string | undefined> {
  const groups = await paginate(async (nextToken) => {
    const page = await personalize.send(new ListDatasetGroupsCommand({ maxResults: 100, ...(nextToken === undefined ? {} : { nextToken }) }));
    return { items: page.datasetGroups, nextToken: page.nextToken };
  });
  return groups.find((g) => g.name === name)?.datasetGroupArn;
}

/**
 * The live ARN of a campaign, recommender or filter of poc.yaml, checked to be ACTIVE. ARNs are
 * built from the group's (its account and region) and confirmed by Describe; anything missing or
 * not yet ready is a one-line error saying what to do.
 */
export async function liveArn(personalize: PersonalizeClient, ref: ServingRef): Promise<string> {
  const group = await groupArn(personalize, ref.groupName);
  if (group === undefined) throw new PocError(error('not-created', `Dataset group ${ref.groupName} does not exist yet, so ${ref.kind} ${ref.ref} cannot answer: run poc apply first.`));
  const arn = arnInAccountOf(group, ref.kind, ref.name);
  let status: string | undefined;
  try {
    if (ref.kind === 'campaign') status = (await personalize.send(new DescribeCampaignCommand({ campaignArn: arn }))).campaign?.status;
    else if (ref.kind === 'recommender') status = (await personalize.send(new DescribeRecommenderCommand({ recommenderArn: arn }))).recommender?.status;
    else status = (await personalize.send(new DescribeFilterCommand({ filterArn: arn }))).filter?.status;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') throw new PocError(error('not-created', `${capital(ref.kind)} ${ref.ref} (${ref.name}) has not been created yet: run poc apply first.`));
    throw err;
  }
  if (status !== 'ACTIVE') {
    const hint = status === 'INACTIVE' ? 'it is stopped: start it (stopped: false in poc.yaml) and run poc apply' : 'wait for poc apply to finish';
    throw new PocError(error('not-ready', `${capital(ref.kind)} ${ref.ref} (${ref.name}) is ${status ?? 'in an unknown state'}, not ACTIVE: ${hint}.`));
  }
  return arn;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
