import { join, relative, resolve } from 'node:path';
import { adoptDatasetGroup } from '../../adopt/adopt.ts';
import { error, hasErrors, PocError } from '../../diagnostics/index.ts';
import { flag, stringOption } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { printDiagnostics } from '../io.ts';
import { connectTarget } from '../target.ts';

/** Without --region: the SDK's usual environment variables, then the region most POCs start in. */
function regionOf(env: Readonly<Record<string, string | undefined>>, option: string | undefined): string {
  return option ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
}

export const importCommand: Command = {
  spec: {
    name: 'import',
    usage: 'poc import --dataset-group NAME [--out DIR] [--name POC] [--force] [--local|--endpoint URL] [--region R]',
    summary: 'Adopt a dataset group built elsewhere (the console): write a poc.yaml, its schemas and a copy of its data that describe it as it is. Changes nothing in the account.',
    positionals: 0,
    options: {
      'dataset-group': { type: 'string', value: 'NAME', help: 'The name of the dataset group to adopt.' },
      out: { type: 'string', value: 'DIR', help: 'Where to write poc.yaml, schemas/ and data/ (default: the current directory).' },
      name: { type: 'string', value: 'POC', help: "The POC's name (prefix of new resource names, value of the poc:name tag); default: from the group's name." },
      force: { type: 'boolean', help: 'Overwrite an existing poc.yaml and the schema and data files.' },
    },
    notes: 'Then run `poc plan -f DIR/poc.yaml` (with the same --local/--endpoint): it should show only ownership tags being added.',
  },
  async run(ctx) {
    const group = stringOption(ctx.args, 'dataset-group');
    if (group === undefined || group === '') throw new PocError(error('missing-option', '--dataset-group NAME is required: the dataset group to adopt.'));
    const outDir = resolve(ctx.io.cwd, stringOption(ctx.args, 'out') ?? '.');
    const pocName = stringOption(ctx.args, 'name');
    const target = await connectTarget(ctx.args, ctx.io, regionOf(ctx.io.env, stringOption(ctx.args, 'region')), outDir);
    try {
      const result = await adoptDatasetGroup(target.clients, {
        datasetGroup: group,
        outDir,
        region: target.region,
        force: flag(ctx.args, 'force'),
        ...(pocName === undefined ? {} : { pocName }),
      });
      printDiagnostics(ctx.io, result.diagnostics);
      if (!result.ok) return EXIT.error;
      for (const f of result.files) ctx.io.out(`Wrote ${relative(ctx.io.cwd, resolve(outDir, f.path))} (${f.what}, ${f.bytes} bytes)`);
      const where = target.kind === 'local' ? ' --local' : target.kind === 'endpoint' && target.endpoint !== undefined ? ` --endpoint ${target.endpoint}` : '';
      ctx.io.out(`Adopted dataset group ${group} as POC ${result.pocName}. Next: poc plan -f ${join(relative(ctx.io.cwd, outDir), 'poc.yaml')}${where}`);
      return hasErrors(result.diagnostics) ? EXIT.error : EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
