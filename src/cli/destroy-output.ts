import { formatDiagnostic } from '../diagnostics/index.ts';
import type { DestroyOutcome, DestroyPlan } from '../destroy/index.ts';
import { succeeded } from '../destroy/index.ts';

/** What happens to the environment, said under the plan, since the plan's changes do not show it all. */
export function environmentNote(d: DestroyPlan): string | undefined {
  const env = d.environment;
  switch (env.mode) {
    case 'stack':
      return 'The environment stack goes last: its bucket is emptied first (data, journals), since CloudFormation cannot delete a bucket with objects.';
    case 'kept':
      return `Keeping the environment ${env.name} and everything in it (--keep-environment).`;
    case 'existing':
      return `The bucket ${env.bucket} is not this POC's (environment: existing): only the ${env.objects} object(s) under s3://${env.bucket}/${env.prefix} are deleted.`;
    case 'none':
      return undefined;
  }
}

/** `Destroy complete: ...` or `Destroy incomplete: ...`, what was kept, every error, and what to do next. */
export function renderDestroyOutcome(outcome: DestroyOutcome): string {
  const r = outcome.result;
  const ok = succeeded(r);
  const objects = outcome.objectsDeleted > 0 ? `, ${outcome.objectsDeleted} S3 object(s) deleted` : '';
  const lines = [`Destroy ${ok ? 'complete' : 'incomplete'}: ${r.succeeded.length} deleted, ${r.failed.length} failed, ${r.skipped.length} not reached${objects}.`];
  for (const k of outcome.kept) lines.push(`Kept ${k.address} (${k.name}): something outside this POC still uses it (${k.reason}).`);
  for (const d of r.errors) lines.push(formatDiagnostic(d));
  if (r.skipped.length > 0) lines.push(`Not reached because something deleted before them failed: ${r.skipped.join(', ')}.`);
  if (!ok) lines.push('Fix the cause and run poc destroy again: what is gone stays gone, the rest is picked up where it stopped.');
  return `${lines.join('\n')}\n`;
}
