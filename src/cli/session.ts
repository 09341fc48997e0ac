import { dirname } from 'node:path';
import type { BaseContext } from '../apply/observe.ts';
import { error, PocError, type Diagnostic } from '../diagnostics/index.ts';
import { KINDS } from '../resources/registry.ts';
import { MANAGED_BY, TAG_MANAGED_BY, TAG_POC_NAME } from '../resources/tags.ts';
import { stringOption, type ParsedArgs } from './args.ts';
import { annotate } from './ci-output.ts';
import type { CommandContext } from './command.ts';
import { loadInputs, type PocInputs } from './inputs.ts';
import { printDiagnostics } from './io.ts';
import { connectTarget, type ConnectedTarget } from './target.ts';

export const DEFAULT_MANIFEST = 'poc.yaml';

export const kinds = KINDS;

export function manifestFile(args: ParsedArgs): string {
  return stringOption(args, 'file') ?? DEFAULT_MANIFEST;
}

/**
 * Loads and checks the user's input, printing every diagnostic (warnings too); throws a PocError
 * carrying nothing more to print when there are errors, so no AWS call is ever made on bad input.
 */
export async function checkedInputs(ctx: CommandContext, file: string = manifestFile(ctx.args), env: string | undefined = envOption(ctx.args)): Promise<PocInputs> {
  const result = await loadInputs(file, ctx.io.cwd, { ...maxErrorsOption(ctx.args), ...(env === undefined ? {} : { env }) });
  printDiagnostics(ctx.io, result.diagnostics);
  annotate(ctx, result.diagnostics);
  if (result.inputs === undefined) throw new PocError([], 'user');
  return result.inputs;
}

/** `--env NAME`: which of poc.yaml's environments to load. */
export function envOption(args: ParsedArgs): string | undefined {
  return stringOption(args, 'env');
}

export function maxErrorsOption(args: ParsedArgs): { maxErrors?: number } {
  const raw = stringOption(args, 'max-errors');
  if (raw === undefined) return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new PocError(error('invalid-option-value', `--max-errors must be a positive integer; got '${raw}'.`));
  return { maxErrors: n };
}

export function ownerTags(pocName: string): Readonly<Record<string, string>> {
  return { [TAG_POC_NAME]: pocName, [TAG_MANAGED_BY]: MANAGED_BY };
}

/** Connects to the target the flags name and runs `fn` with a kind context; always disconnects. */
export async function withTarget<T>(ctx: CommandContext, inputs: PocInputs, fn: (base: BaseContext, target: ConnectedTarget) => Promise<T>): Promise<T> {
  const target = await connectTarget(ctx.args, ctx.io, inputs.manifest.region, dirname(inputs.manifest.source.file));
  ctx.log.info({ target: target.kind, region: target.region, endpoint: target.endpoint }, 'connected');
  try {
    const base: BaseContext = {
      clients: target.clients,
      pocName: inputs.manifest.name,
      region: target.region,
      ownerTags: ownerTags(inputs.manifest.name),
      cache: new Map(),
    };
    return await fn(base, target);
  } finally {
    await target.close();
  }
}

/** Prints diagnostics and turns their presence into an error exit without more output. */
export function failWith(ctx: CommandContext, diagnostics: readonly Diagnostic[]): never {
  printDiagnostics(ctx.io, diagnostics);
  throw new PocError([], 'user');
}
