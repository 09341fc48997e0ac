export { countObjects, deleteObjectsUnder, type BucketCallOptions } from '../resources/bucket-objects.ts';
export { keepingInUse, type KeptResource } from './keep-in-use.ts';
export { EMPTY_GRAPH } from './owned-resources.ts';
export { nothingToDestroy, planDestroy, type DestroyPlan, type DestroyPlanOptions, type EnvironmentTeardown } from './plan-destroy.ts';
export { runDestroy, succeeded, type DestroyOutcome, type DestroyRunOptions } from './run-destroy.ts';
