import type { RecipeName } from '../../engine/index.ts';
import type { DomainPreparation } from './domain-training.ts';

/**
 * How the emulator trains a domain use case. Invariants: `engine` is a custom recipe the engine
 * trains; `eventType`, when set, is the event type the service requires at least 1000 of
 * (facts section 4) and the only one the model learns from; `needsItems` marks use cases whose
 * data requirements include an Items dataset.
 */
export interface UseCaseTraining {
  readonly engine: RecipeName;
  readonly eventType?: string;
  readonly needsItems?: boolean;
  readonly domain: DomainPreparation;
}

const anyCase: DomainPreparation = { eventTypeAnyCase: true };

/**
 * Each use case mapped to the engine family closest to what it recommends:
 * - popular-items-by-views / -by-purchases, vod-most-popular: popularity counted on that event type;
 * - customers-who-viewed-x-also-viewed, frequently-bought-together, because-you-watched-x:
 *   related items (item-to-item co-occurrence, SIMS) on that event type;
 * - vod-more-like-x: related items from interactions and item metadata (similar-items);
 * - recommended-for-you, vod-top-picks: user personalization on every event;
 * - vod-trending-now: popularity over the most recent week of events.
 */
export const USE_CASE_TRAINING: Readonly<Record<string, UseCaseTraining>> = {
  'aws-ecomm-popular-items-by-views': { engine: 'aws-popularity-count', eventType: 'View', domain: anyCase },
  'aws-ecomm-popular-items-by-purchases': { engine: 'aws-popularity-count', eventType: 'Purchase', domain: anyCase },
  'aws-ecomm-frequently-bought-together': { engine: 'aws-sims', eventType: 'Purchase', domain: anyCase },
  'aws-ecomm-customers-who-viewed-x-also-viewed': { engine: 'aws-sims', eventType: 'View', domain: anyCase },
  'aws-ecomm-recommended-for-you': { engine: 'aws-user-personalization-v2', domain: {} },
  'aws-vod-because-you-watched-x': { engine: 'aws-sims', eventType: 'Watch', domain: anyCase },
  'aws-vod-more-like-x': { engine: 'aws-similar-items', needsItems: true, domain: {} },
  'aws-vod-most-popular': { engine: 'aws-popularity-count', eventType: 'Watch', domain: anyCase },
  'aws-vod-trending-now': { engine: 'aws-popularity-count', domain: { recentDays: 7 } },
  'aws-vod-top-picks': { engine: 'aws-user-personalization-v2', needsItems: true, domain: {} },
};
