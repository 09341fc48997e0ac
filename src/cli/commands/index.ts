import type { Command } from '../command.ts';
import { applyCommand } from './apply.ts';
import { destroyCommand } from './destroy.ts';
import { driftCommand } from './drift.ts';
import { emulatorCommand } from './emulator.ts';
import { importCommand } from './import.ts';
import { planCommand } from './plan.ts';
import { recommendCommand } from './recommend.ts';
import { reportCommand } from './report.ts';
import { showCommand } from './show.ts';
import { unlockCommand } from './unlock.ts';
import { validateCommand } from './validate.ts';

/** Every command, in the order `poc --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, planCommand, showCommand, applyCommand, driftCommand, reportCommand, recommendCommand, destroyCommand, importCommand, unlockCommand, emulatorCommand];
