import type { Command } from '../command.ts';
import { applyCommand } from './apply.ts';
import { driftCommand } from './drift.ts';
import { emulatorCommand } from './emulator.ts';
import { planCommand } from './plan.ts';
import { validateCommand } from './validate.ts';

/** Every command, in the order `poc --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, planCommand, applyCommand, driftCommand, emulatorCommand];
