import { appendFile, stat } from 'node:fs/promises';

/** GitHub's limit on one step's job summary: 1 MiB of UTF-8. Larger summaries are rejected. */
export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** What appending a section did. */
export type SummaryOutcome = 'written' | 'cut' | 'no-room';

/**
 * Appends `render(limit)` to the job summary file, choosing the largest character `limit` whose
 * rendering still fits in what is left of the step's 1 MiB (the renderers cut whole lines and say
 * so, so a cut summary stays readable). The file may already hold earlier sections of this step.
 */
export async function appendJobSummary(file: string, render: (limitChars: number) => string, limitBytes: number = JOB_SUMMARY_LIMIT_BYTES): Promise<SummaryOutcome> {
  const used = await stat(file).then((s) => s.size, () => 0);
  const room = limitBytes - used - 1;
  if (room < 512) return 'no-room';
  let limit = room;
  let text = render(limit);
  let outcome: SummaryOutcome = 'written';
  // Characters outside ASCII take up to 4 bytes: shrink the character budget until the bytes fit.
  for (let i = 0; i < 8 && Buffer.byteLength(text, 'utf8') > room; i += 1) {
    limit = Math.floor(limit * (room / Buffer.byteLength(text, 'utf8')) * 0.95);
    text = render(limit);
    outcome = 'cut';
  }
  if (Buffer.byteLength(text, 'utf8') > room) return 'no-room';
  await appendFile(file, `${text.endsWith('\n') ? text : `${text}\n`}\n`);
  return outcome;
}
