import { PersonalizeError, invalidInput } from './errors.ts';
import type { ServiceState } from './operation.ts';
import { SOLUTION, TRAINING_STATUSES, versionsOf, type SolutionAttrs } from './solution-types.ts';
import { checkCanTrain, startVersion } from './solution-versions.ts';
import type { ResourceRecord } from './store.ts';

const DEFAULT_DAYS = 7;
const SCHEDULE = /^rate\((\d+) days?\)$/;

/** Days between automatic versions for a `rate(N day|days)` expression; N must be 1 to 30. */
export function scheduleDays(expression: string | undefined): number {
  if (expression === undefined) return DEFAULT_DAYS;
  const days = Number(SCHEDULE.exec(expression)?.[1]);
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    throw invalidInput(`Invalid schedulingExpression ${expression}: use rate(N days) with N from 1 to 30.`);
  }
  return days;
}

function expressionOf(solution: SolutionAttrs): string | undefined {
  return (solution.solutionConfig?.autoTrainingConfig as { schedulingExpression?: string } | undefined)?.schedulingExpression;
}

/**
 * Automatic training, on the emulator's clock. The service creates a version within one hour of a
 * solution becoming ACTIVE (skipped if a manual version came first), then one every N days. Real
 * hours would make the emulator useless, so one "hour" here is `durations.training` and a day is
 * 24 of those: with the default 1 s, the first automatic version comes 1 s after ACTIVE and the
 * weekly one every 168 s. A zero training duration (tests) keeps the first round and drops the
 * recurring ones, which would otherwise fire on every tick. A round is skipped, not queued, when
 * the solution is not ACTIVE, a version of it is still training, its group has no imported
 * interactions or the in-progress quota is full. Clocks are persisted on the solution, so rounds
 * due while the emulator was down run when it starts again.
 */
export class AutoTrainer {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly state: ServiceState) {}

  private get hourMs(): number {
    return this.state.ctx.durations.training;
  }

  /** Starts the clock when auto training is on (from ACTIVE, or from an update turning it on). */
  arm(solution: ResourceRecord<SolutionAttrs>, from: number, first: boolean): void {
    if (!solution.attrs.performAutoTraining) {
      this.disarm(solution);
      return;
    }
    solution.attrs.autoTraining = { nextAt: from + this.hourMs, first };
    this.schedule();
  }

  disarm(solution: ResourceRecord<SolutionAttrs>): void {
    delete solution.attrs.autoTraining;
  }

  /** Sets the one timer to the earliest due round. */
  schedule(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const solution of this.state.store.list<SolutionAttrs>(SOLUTION)) next = Math.min(next, solution.attrs.autoTraining?.nextAt ?? Infinity);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.runDue(), Math.max(0, next - this.state.ctx.now()));
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private runDue(): void {
    if (this.closed) return;
    const now = this.state.ctx.now();
    let changed = false;
    for (const solution of this.state.store.list<SolutionAttrs>(SOLUTION)) {
      const clock = solution.attrs.autoTraining;
      if (clock === undefined || clock.nextAt > now) continue;
      this.round(solution, clock.first);
      const period = scheduleDays(expressionOf(solution.attrs)) * 24 * this.hourMs;
      if (period <= 0 || solution.status !== 'ACTIVE') {
        this.disarm(solution);
      } else {
        let nextAt = clock.nextAt + period;
        while (nextAt <= now) nextAt += period;
        solution.attrs.autoTraining = { nextAt, first: false };
      }
      changed = true;
    }
    if (changed) this.state.store.save();
    this.schedule();
  }

  private round(solution: ResourceRecord<SolutionAttrs>, first: boolean): void {
    const versions = versionsOf(this.state, solution.arn);
    if (first && versions.length > 0) return;
    if (versions.some((v) => TRAINING_STATUSES.has(v.status))) return;
    try {
      checkCanTrain(this.state, solution);
    } catch (err) {
      if (err instanceof PersonalizeError) return;
      throw err;
    }
    startVersion(this.state, solution, { trainingMode: 'AUTOTRAIN', trainingType: 'AUTOMATIC' });
  }
}

/** One scheduler per service instance; operations reach it through their ServiceState. */
const trainers = new WeakMap<ServiceState, AutoTrainer>();

export function autoTrainerOf(state: ServiceState): AutoTrainer {
  let trainer = trainers.get(state);
  if (trainer === undefined) {
    trainer = new AutoTrainer(state);
    trainers.set(state, trainer);
  }
  return trainer;
}
