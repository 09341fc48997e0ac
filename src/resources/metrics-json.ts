import type { Json } from './kind.ts';

/** One metric of a metric attribution, by the manifest's member names. */
export interface MetricProps {
  readonly name: string;
  readonly eventType: string;
  readonly expression: string;
}

/**
 * Metrics as desired and observed properties carry them: sorted by name, since the service keeps
 * no order poc.yaml could rely on. Pure, for the compiler and the kind alike.
 */
export function metricsJson(metrics: readonly MetricProps[]): Json {
  return [...metrics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((m) => ({ name: m.name, eventType: m.eventType, expression: m.expression }));
}
