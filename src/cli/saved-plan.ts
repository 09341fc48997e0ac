import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { error, PocError } from '../diagnostics/index.ts';
import { readPlan } from '../plan/read-plan.ts';
import type { Plan } from '../plan/types.ts';
import type { CommandContext } from './command.ts';
import { failWith } from './session.ts';

/** A saved plan file, checked against its format; every problem is printed and fails the command. */
export async function readSavedPlan(ctx: CommandContext, file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.io.cwd, file), 'utf8');
  } catch {
    throw new PocError(error('plan-unreadable', `Cannot read the plan file ${file}.`, { file, hint: 'Save one with: poc plan --out plans/NAME.json' }));
  }
  const read = readPlan(text, file);
  if ('diagnostics' in read) failWith(ctx, read.diagnostics);
  return read.plan;
}
