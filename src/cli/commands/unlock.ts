import { endpointProblem } from '../../apply/endpoint-problem.ts';
import type { GuardOptions } from '../../apply/guard.ts';
import type { RunSummary } from '../../apply/journal.ts';
import { describeHolder, forceUnlock, lockKey, parseDuration, readLock } from '../../apply/lock.ts';
import { contextOver, type BaseContext } from '../../apply/observe.ts';
import { error, PocError } from '../../diagnostics/index.ts';
import type { LiveState } from '../../plan/live.ts';
import { ENVIRONMENT_ADDRESS } from '../../resources/addresses.ts';
import { FILE_OPTION, flag, stringOption, type OptionSpecs } from '../args.ts';
import { bucketOf } from '../apply-once.ts';
import { githubJob } from '../ci-output.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import type { PocInputs } from '../inputs.ts';
import { checkedInputs, failWith, kinds, withTarget } from '../session.ts';

/** `poc apply --lock-timeout`: how long to wait for another apply's lock. */
export const LOCK_TIMEOUT_OPTION: OptionSpecs = {
  'lock-timeout': { type: 'string', value: 'DURATION', help: "Wait this long for another apply's lock (e.g. 90s, 30m; default 0: fail at once, naming the holder)." },
};

/** `--lock-timeout` in milliseconds (0 when absent); read before anything else, so a typo costs no AWS call. */
export function lockTimeoutOption(ctx: CommandContext): number {
  const raw = stringOption(ctx.args, 'lock-timeout');
  if (raw === undefined) return 0;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new PocError(error('invalid-option-value', `--lock-timeout must be a duration such as 90s, 15m or 2h; got '${raw}'.`));
  return ms;
}

/** The environment's bucket now: from the plan's observation, else read again (a first apply creates it). */
function bucketFinder(inputs: PocInputs, base: BaseContext, live: LiveState): () => Promise<string | undefined> {
  const node = inputs.graph.nodes.find((n) => n.address === ENVIRONMENT_ADDRESS);
  let known = bucketOf(live);
  return async () => {
    if (known !== undefined || node === undefined) return known;
    const observed = await kinds.environment.observe(contextOver({ ...base, cache: new Map() }, new Map()), node);
    const bucket = observed?.readiness === 'ready' ? observed.properties['bucket'] : undefined;
    known = typeof bucket === 'string' && bucket !== '' ? bucket : undefined;
    return known;
  };
}

function describeResume(previous: RunSummary): string {
  const inFlight = previous.inFlight.length === 0 ? '' : ` In flight when it stopped (adopted now, not created again): ${previous.inFlight.join(', ')}.`;
  return `Resuming after an apply that did not finish (run ${previous.run}): ${previous.succeeded.length} step(s) done, ${previous.failed.length} failed.${inFlight}`;
}

/** What `poc apply` passes to `guardApply`: the lock, the journal, and the resume notice on stderr. */
export function applyGuardOptions(ctx: CommandContext, inputs: PocInputs, base: BaseContext, live: LiveState, planDigest: string, lockTimeoutMs: number): GuardOptions {
  const by = githubJob(ctx)?.runUrl;
  return {
    s3: base.clients.s3,
    pocName: inputs.manifest.name,
    command: ['poc', 'apply', ...ctx.args.positionals].join(' '),
    planDigest,
    lockTimeoutMs,
    findBucket: bucketFinder(inputs, base, live),
    onResume: (previous) => ctx.io.err(describeResume(previous)),
    ...(by === undefined ? {} : { by }),
  };
}

export const unlockCommand: Command = {
  spec: {
    name: 'unlock',
    usage: 'poc unlock [-f poc.yaml] [--env NAME] --force',
    summary: "Show who holds the POC's apply lock; with --force, remove it (only when that apply is dead).",
    positionals: 0,
    options: {
      ...FILE_OPTION,
      force: { type: 'boolean', help: 'Remove the lock whoever holds it. A live apply keeps running unlocked, so check first.' },
    },
    notes: 'Exit codes: 0 no lock or removed, 1 held (without --force) or error.',
  },
  async run(ctx) {
    const inputs = await checkedInputs(ctx);
    return withTarget(ctx, inputs, async (base) => {
      const bucket = await bucketFinder(inputs, base, { byAddress: new Map(), undeclared: [] })().catch((err: unknown) => {
        const endpoint = endpointProblem([err], base.clients.target.endpoint);
        throw endpoint === undefined ? err : new PocError([endpoint], 'user');
      });
      if (bucket === undefined) {
        ctx.io.out(`No lock: the environment bucket of ${inputs.manifest.name} does not exist yet.`);
        return EXIT.ok;
      }
      const held = await readLock(base.clients.s3, bucket, inputs.manifest.name);
      if (!flag(ctx.args, 'force')) {
        if (held === undefined) {
          ctx.io.out(`No apply holds the lock of ${inputs.manifest.name}.`);
          return EXIT.ok;
        }
        failWith(ctx, [error('lock-held', `The lock of ${inputs.manifest.name} is held by ${describeHolder(held)}.`, { hint: `If that apply is dead, run 'poc unlock --force' to remove s3://${bucket}/${lockKey(inputs.manifest.name)}.` })]);
      }
      const removed = await forceUnlock(base.clients.s3, bucket, inputs.manifest.name);
      ctx.io.out(removed === undefined ? `No apply held the lock of ${inputs.manifest.name}; nothing to remove.` : `Removed the lock held by ${describeHolder(removed)}.`);
      return EXIT.ok;
    });
  },
};
