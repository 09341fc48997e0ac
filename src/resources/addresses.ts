/**
 * Graph addresses: stable names for resources across runs, what plans, journals and humans refer
 * to. Pure so the compiler (which must not load the AWS SDK) and the kinds share one definition.
 */
export const ENVIRONMENT_ADDRESS = 'environment';
export const schemaAddress = (key: string): string => `schema.${key}`;
export const groupAddress = (group: string): string => `datasetGroup.${group}`;
export const datasetAddress = (group: string, key: string): string => `${groupAddress(group)}.dataset.${key}`;
export const importAddress = (group: string, key: string): string => `${datasetAddress(group, key)}.import`;
/** One per distinct data object, named after the first dataset path that uses it, as written. */
export const uploadAddress = (dataAsWritten: string): string => `upload.${dataAsWritten}`;
export const solutionAddress = (group: string, key: string): string => `${groupAddress(group)}.solution.${key}`;
/** The solution's newest version: what it was last trained on, and whether to train again. */
export const solutionVersionAddress = (group: string, key: string): string => `${solutionAddress(group, key)}.version`;
export const campaignAddress = (group: string, key: string): string => `${groupAddress(group)}.campaign.${key}`;
export const filterAddress = (group: string, key: string): string => `${groupAddress(group)}.filter.${key}`;
/** At most one per group, so it needs no key. */
export const eventTrackerAddress = (group: string): string => `${groupAddress(group)}.eventTracker`;
/** A recommender of a domain dataset group. */
export const recommenderAddress = (group: string, key: string): string => `${groupAddress(group)}.recommender.${key}`;
export const batchJobAddress = (group: string, section: 'batchInferenceJob' | 'batchSegmentJob', key: string): string => `${groupAddress(group)}.${section}.${key}`;
/** The job's results downloaded into the local folder poc.yaml names. */
export const batchResultsAddress = (jobAddress: string): string => `${jobAddress}.results`;
/** At most one per group, so it needs no key. */
export const metricAttributionAddress = (group: string): string => `${groupAddress(group)}.metricAttribution`;
