import { error, PocError } from '../diagnostics/index.ts';
import { stringOption, type OptionSpec, type ParsedArgs } from './args.ts';

export type OutputFormat = 'text' | 'markdown' | 'json';

export const FORMAT_OPTION: Readonly<Record<'format', OptionSpec>> = {
  format: { type: 'string', value: 'FORMAT', help: 'text (default), markdown (PR comments, job summaries) or json.', choices: ['text', 'markdown', 'json'] },
};

export function outputFormat(args: ParsedArgs): OutputFormat {
  const f = stringOption(args, 'format') ?? 'text';
  if (f === 'text' || f === 'markdown' || f === 'json') return f;
  throw new PocError(error('invalid-option-value', `--format must be text, markdown or json; got '${f}'.`));
}
