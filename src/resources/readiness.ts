import type { Readiness } from './kind.ts';

/**
 * Personalize status strings (`CREATE PENDING`, `ACTIVE`, `CREATE FAILED`, `DELETE PENDING`,
 * `UPDATE IN_PROGRESS`...) to the reconciler's readiness. Schemas have no status: callers pass
 * `ACTIVE`. Batch-job spellings (`IN PROGRESS`, `PENDING`) land on `pending` like the others.
 */
export function personalizeReadiness(status: string): Readiness {
  if (status === 'ACTIVE') return 'ready';
  if (status.startsWith('DELETE')) return 'deleting';
  if (status.includes('FAILED')) return 'failed';
  return 'pending';
}

/**
 * CloudFormation stack statuses. `UPDATE_ROLLBACK_COMPLETE` is a working stack that kept its
 * previous template, so it counts as ready (the next plan shows the template difference again)
 * rather than failed, which would plan replacing the bucket that holds the data.
 */
export function stackReadiness(status: string): Readiness {
  if (status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' || status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'IMPORT_COMPLETE') return 'ready';
  if (status.startsWith('DELETE') && status !== 'DELETE_FAILED') return 'deleting';
  if (status.endsWith('FAILED') || status === 'ROLLBACK_COMPLETE') return 'failed';
  return 'pending';
}
