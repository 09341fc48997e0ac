/**
 * Regions where Amazon Personalize is offered (AWS General Reference, "Amazon Personalize
 * endpoints and quotas"). Kept in code so `poc validate` needs no network; add a region here when
 * the service launches in it.
 */
export const PERSONALIZE_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-central-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'cn-north-1',
] as const;

export type PersonalizeRegion = (typeof PERSONALIZE_REGIONS)[number];

export function isPersonalizeRegion(region: string): region is PersonalizeRegion {
  return (PERSONALIZE_REGIONS as readonly string[]).includes(region);
}
