import { parseArgs } from 'node:util';
import { closest, error, type Diagnostic } from '../diagnostics/index.ts';

/** One command-line option, declared once for parsing and for `--help`. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Shown in help as `--name VALUE`. */
  readonly value?: string;
  readonly help: string;
  /** For string options with a closed set of values. */
  readonly choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  local: { type: 'boolean', help: 'Use the embedded emulator (state kept in .poc/local/ beside poc.yaml).' },
  endpoint: { type: 'string', value: 'URL', help: 'Any AWS-compatible endpoint (e.g. a standalone `poc emulator`).' },
  region: { type: 'string', value: 'REGION', help: 'Override the region from poc.yaml.' },
  debug: { type: 'boolean', help: 'Print stack traces and SDK request ids with errors.' },
  'log-level': { type: 'string', value: 'LEVEL', help: 'Structured logs on stderr: fatal, error, warn (default), info, debug, trace, silent.', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
  'no-color': { type: 'boolean', help: 'Plain output even on a terminal (NO_COLOR is honoured too).' },
  github: { type: 'boolean', help: 'GitHub Actions output (job summary, ::error annotations) outside Actions too; on by itself when GITHUB_ACTIONS=true.' },
  help: { type: 'boolean', short: 'h', help: 'Show this help.' },
};

/** Which manifest, and which of its environments: every command that reads poc.yaml takes both. */
export const FILE_OPTION: OptionSpecs = {
  file: { type: 'string', short: 'f', value: 'FILE', help: 'The manifest (default: poc.yaml in the current directory).' },
  env: { type: 'string', value: 'NAME', help: 'Deploy the environment NAME declared under environments in poc.yaml (its name and region); default: the top level.' },
};

export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  /** Positional arguments allowed (0 or 1). */
  readonly positionals: number;
  /** Extra help text after the options. */
  readonly notes?: string;
}

export type ParsedValues = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedArgs {
  readonly values: ParsedValues;
  readonly positionals: readonly string[];
}

/** Parses argv for one command; every problem becomes a diagnostic instead of a thrown error. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): { args?: ParsedArgs; diagnostics: Diagnostic[] } {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS, ...spec.options };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(all)) options[name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    return { diagnostics: [argumentError(spec, err, Object.keys(all))] };
  }
  const diagnostics: Diagnostic[] = [];
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, o] of Object.entries(all)) {
    const v = values[name];
    if (o.choices !== undefined && typeof v === 'string' && !o.choices.includes(v)) {
      diagnostics.push(error('invalid-option-value', `--${name} must be one of ${o.choices.join(', ')}; got '${v}'.`));
    }
  }
  if (parsed.positionals.length > spec.positionals && values['help'] !== true) {
    diagnostics.push(error('unexpected-argument', `Unexpected argument '${parsed.positionals[spec.positionals]}' for 'poc ${spec.name}'.`, { hint: `Usage: ${spec.usage}` }));
  }
  return { args: { values, positionals: parsed.positionals }, diagnostics };
}

function argumentError(spec: CommandSpec, err: unknown, known: readonly string[]): Diagnostic {
  const message = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const guess = closest(unknown.replace(/^-+/, ''), known);
    return error('unknown-option', `Unknown option '${unknown}' for 'poc ${spec.name}'.${guess === undefined ? '' : ` Did you mean '--${guess}'?`}`, { hint: `See 'poc ${spec.name} --help'.` });
  }
  return error('invalid-arguments', `${message.split('\n')[0]} (poc ${spec.name})`, { hint: `See 'poc ${spec.name} --help'.` });
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** `--help` text: usage, summary, command options, then global options. */
export function helpText(spec: CommandSpec): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, ''];
  const section = (title: string, specs: OptionSpecs): void => {
    const entries = Object.entries(specs);
    if (entries.length === 0) return;
    lines.push(`${title}:`);
    const left = entries.map(([name, o]) => `  ${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`);
    const width = Math.max(...left.map((l) => l.length)) + 2;
    entries.forEach(([, o], i) => lines.push(`${(left[i] ?? '').padEnd(width)}${o.help}`));
    lines.push('');
  };
  section('Options', spec.options);
  section('Global options', GLOBAL_OPTIONS);
  if (spec.notes !== undefined) lines.push(spec.notes, '');
  return lines.join('\n');
}
