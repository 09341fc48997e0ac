/** `arn:aws:personalize:{region}:{account}:{suffix}`; the name (or parent and type) is in the suffix. */
export function personalizeArn(region: string, accountId: string, suffix: string): string {
  return `arn:aws:personalize:${region}:${accountId}:${suffix}`;
}

/** The resource part after the account, e.g. `dataset-group/movies`; undefined if not an ARN. */
export function arnSuffix(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : undefined;
}
