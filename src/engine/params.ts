import type { EngineFailure, HyperParameters } from './types.ts';

export interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

/**
 * Reads string hyperparameters as numbers with defaults, collecting every invalid value so one
 * failure message names them all (Personalize rejects the whole request the same way).
 */
export class ParamReader {
  private readonly problems: string[] = [];

  constructor(private readonly params: HyperParameters = {}) {}

  number(name: string, fallback: number, rule: NumberRule): number {
    const raw = this.params[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < rule.min || value > rule.max || (rule.integer === true && !Number.isInteger(value))) {
      this.problems.push(`${name}=${JSON.stringify(raw)} (expected ${rule.integer === true ? 'an integer' : 'a number'} in [${rule.min}, ${rule.max}])`);
      return fallback;
    }
    return value;
  }

  choice<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.params[name];
    if (raw === undefined) return fallback;
    const found = allowed.find((a) => a === raw);
    if (found === undefined) {
      this.problems.push(`${name}=${JSON.stringify(raw)} (expected one of ${allowed.join(', ')})`);
      return fallback;
    }
    return found;
  }

  failure(): EngineFailure | undefined {
    if (this.problems.length === 0) return undefined;
    return { code: 'invalid-hyperparameter', message: `Invalid hyperparameters: ${this.problems.join('; ')}.` };
  }
}
