import { KMS_KEY_ARN, ROLE_ARN, S3_PATH, required, structure, type Shape } from './shapes.ts';

/** One metric as CreateMetricAttribution and ListMetricAttributionMetrics carry it. */
export interface MetricAttribute {
  readonly eventType: string;
  readonly metricName: string;
  readonly expression: string;
}

export interface MetricsOutputConfig {
  readonly roleArn: string;
  readonly s3DataDestination?: { readonly path: string; readonly kmsKeyArn?: string };
}

/**
 * A metric attribution. Invariants: at most one per dataset group; `metrics` has 1-10 entries
 * with distinct names; `metricsOutputConfig` replaces whole on update.
 */
export interface MetricAttributionAttrs {
  readonly datasetGroupArn: string;
  readonly metrics: readonly MetricAttribute[];
  readonly metricsOutputConfig: MetricsOutputConfig;
}

export const METRIC_OUTPUT: Shape = structure({
  s3DataDestination: structure({ path: required(S3_PATH), kmsKeyArn: KMS_KEY_ARN }),
  roleArn: required(ROLE_ARN),
});
