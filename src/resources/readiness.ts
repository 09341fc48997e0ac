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

/** A status, the readiness it maps to, and why the resource failed when the service says. */
export interface StatusReadiness {
  readonly status: string;
  readonly readiness: Readiness;
  readonly failureReason?: string;
}

/**
 * Solutions, campaigns and recommenders stay ACTIVE while an update of them runs, reporting the
 * update's own status beside theirs. A pending update is waited on (status `UPDATE <state>`). A
 * failed one leaves the old settings in place: the resource is ready, must not be planned for
 * replacement, and the failure is reported (the next plan proposes the update again).
 * `operation` names the update call for that report; `failureReason` is the resource's own.
 */
export function readinessWithUpdate(
  status: string,
  update: { readonly status?: string | undefined; readonly failureReason?: string | undefined } | undefined,
  operation: string,
  failureReason?: string,
): StatusReadiness {
  const updateStatus = update?.status;
  if (status === 'ACTIVE' && updateStatus !== undefined && updateStatus !== 'ACTIVE' && !updateStatus.includes('FAILED')) {
    return { status: `UPDATE ${updateStatus.replace(/^CREATE /, '')}`, readiness: 'pending' };
  }
  if (status === 'ACTIVE' && updateStatus?.includes('FAILED') === true) {
    return { status, readiness: 'ready', failureReason: `the last ${operation} failed: ${update?.failureReason ?? 'no reason given'}` };
  }
  return { status, readiness: personalizeReadiness(status), ...(failureReason === undefined ? {} : { failureReason }) };
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
