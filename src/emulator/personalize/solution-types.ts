import { notFound } from './errors.ts';
import type { ServiceState } from './operation.ts';
import type { ResourceRecord, ResourceStatus } from './store.ts';

export const SOLUTION = 'solution';
export const SOLUTION_VERSION = 'solutionVersion';

export type TrainingMode = 'FULL' | 'UPDATE' | 'AUTOTRAIN';
export type TrainingType = 'MANUAL' | 'AUTOMATIC';

/** Version statuses during which training is under way; they block deletes and count toward the quota. */
export const TRAINING_STATUSES: ReadonlySet<ResourceStatus | undefined> = new Set<ResourceStatus | undefined>(['CREATE PENDING', 'CREATE IN_PROGRESS', 'CREATE STOPPING']);

/** `solutionConfig` and `solutionUpdateConfig` exactly as the client sent them (JSON objects). */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The latest UpdateSolution. Its status is not stored: it follows from `createdAt` and the update
 * duration (CREATE PENDING, CREATE IN_PROGRESS, then ACTIVE), so it needs no timer of its own.
 */
export interface SolutionUpdate {
  readonly solutionUpdateConfig: JsonObject;
  readonly performAutoTraining: boolean;
  readonly performIncrementalUpdate?: boolean;
  readonly createdAt: number;
}

/**
 * Where automatic training stands. Invariant: present exactly while the solution is ACTIVE with
 * `performAutoTraining` on; `first` marks the round within "one hour" of becoming ACTIVE, which a
 * manual version created before it replaces.
 */
export interface AutoTrainingClock {
  readonly nextAt: number;
  readonly first: boolean;
}

/**
 * A solution. Fields mirror CreateSolution; `performAutoTraining`, `performIncrementalUpdate`
 * and `solutionConfig.autoTrainingConfig`/`eventsConfig` are the only ones UpdateSolution changes.
 */
export interface SolutionAttrs {
  readonly datasetGroupArn: string;
  readonly recipeArn?: string;
  readonly performHPO: boolean;
  readonly performAutoML: boolean;
  performAutoTraining: boolean;
  performIncrementalUpdate?: boolean;
  readonly eventType?: string;
  solutionConfig?: JsonObject;
  latestUpdate?: SolutionUpdate;
  autoTraining?: AutoTrainingClock;
}

/** Files a trained version keeps beside the state file, relative to the Personalize state directory. */
export interface VersionArtifacts {
  readonly model: string;
  readonly metrics: string;
}

/**
 * A solution version: a snapshot of its solution's configuration at creation (a later
 * UpdateSolution does not change what a version trained with). Invariants: `recipeName` is the
 * catalogue recipe that trains it (the solution's, or AutoML's pick); `artifacts` is set exactly
 * when the version is ACTIVE; `trainingHours` likewise.
 */
export interface SolutionVersionAttrs {
  readonly solutionArn: string;
  readonly datasetGroupArn: string;
  readonly recipeArn?: string;
  readonly recipeName: string;
  readonly performHPO: boolean;
  readonly performAutoML: boolean;
  readonly performIncrementalUpdate?: boolean;
  readonly eventType?: string;
  readonly solutionConfig?: JsonObject;
  readonly trainingMode: TrainingMode;
  readonly trainingType: TrainingType;
  trainingStartedAt?: number;
  trainingHours?: number;
  artifacts?: VersionArtifacts;
}

/** The solution, or ResourceNotFoundException (also for one that finished deleting). */
export function getSolution(state: ServiceState, arn: string): ResourceRecord<SolutionAttrs> {
  const record = state.store.find<SolutionAttrs>(SOLUTION, arn);
  if (record === undefined) throw notFound('solution', arn);
  return record;
}

export function getSolutionVersion(state: ServiceState, arn: string): ResourceRecord<SolutionVersionAttrs> {
  const record = state.store.find<SolutionVersionAttrs>(SOLUTION_VERSION, arn);
  if (record === undefined) throw notFound('solution version', arn);
  return record;
}

/** A solution's versions in creation order. */
export function versionsOf(state: ServiceState, solutionArn: string): ResourceRecord<SolutionVersionAttrs>[] {
  return state.store.list<SolutionVersionAttrs>(SOLUTION_VERSION).filter((v) => v.attrs.solutionArn === solutionArn);
}

/** A version on the group that is training, if any: it blocks deleting the group's datasets. */
export function trainingOnGroup(state: ServiceState, datasetGroupArn: string): ResourceRecord<SolutionVersionAttrs> | undefined {
  return state.store.list<SolutionVersionAttrs>(SOLUTION_VERSION).find((v) => v.attrs.datasetGroupArn === datasetGroupArn && TRAINING_STATUSES.has(v.status));
}
