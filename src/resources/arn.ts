/**
 * ARN arithmetic. We never know the account id up front, so ARNs are read from List results or
 * derived from an observed parent's ARN, following the service's fixed formats.
 */

/** The last path segment: a dataset group's or schema's name (`...:dataset-group/NAME`). */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `...:dataset-group/G` -> `...:dataset/G/TYPE`: one dataset per type per group. */
export function datasetArnOf(groupArn: string, datasetType: string): string {
  return `${groupArn.replace(':dataset-group/', ':dataset/')}/${datasetType}`;
}

/** The inverse of {@link datasetArnOf}'s group part. */
export function groupArnOfDataset(datasetArn: string): string {
  return datasetArn.slice(0, datasetArn.lastIndexOf('/')).replace(':dataset/', ':dataset-group/');
}

/**
 * The ARN of the `type` resource named `name` in the account and region of `arn` (any
 * Personalize ARN there): groups, solutions, recommenders, campaigns and filters carry only their
 * own name in their ARN.
 */
export function arnInAccountOf(arn: string, type: 'dataset-group' | 'solution' | 'recommender' | 'campaign' | 'filter', name: string): string {
  return `${arn.split(':').slice(0, 5).join(':')}:${type}/${name}`;
}
