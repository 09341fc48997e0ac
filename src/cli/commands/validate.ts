import { FILE_OPTION } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { FORMAT_OPTION, outputFormat } from '../format.ts';
import { loadInputs } from '../inputs.ts';
import { printDiagnostics } from '../io.ts';
import { envOption, manifestFile, maxErrorsOption } from '../session.ts';
import { annotate, jobSummary } from '../ci-output.ts';
import { renderValidationJson, renderValidationMarkdown, renderValidationText, type ValidationReport } from '../../render/validation-report.ts';

export const validateCommand: Command = {
  spec: {
    name: 'validate',
    usage: 'poc validate [-f poc.yaml] [--format text|markdown|json] [--max-errors N]',
    summary: 'Check poc.yaml, its Avro schemas and its data files against Personalize rules, with a data profile. No AWS calls.',
    positionals: 0,
    options: { ...FILE_OPTION, ...FORMAT_OPTION, 'max-errors': { type: 'string', value: 'N', help: 'Detail at most N findings per data file (all are still counted).' } },
  },
  async run(ctx) {
    const file = manifestFile(ctx.args);
    const env = envOption(ctx.args);
    const result = await loadInputs(file, ctx.io.cwd, { ...maxErrorsOption(ctx.args), ...(env === undefined ? {} : { env }) });
    annotate(ctx, result.diagnostics);
    if (result.manifest === undefined) {
      printDiagnostics(ctx.io, result.diagnostics);
      return EXIT.error;
    }
    const dataFindings = new Set(result.dataReports.flatMap((g) => [...g.report.files.flatMap((f) => f.findings), ...g.report.group]));
    const fileTotals = new Map(result.dataReports.flatMap((g) => g.report.files.map((f) => [f.file, f.totals] as const)));
    const other = result.diagnostics.filter((d) => !dataFindings.has(d));
    const count = (severity: 'error' | 'warning'): number =>
      other.filter((d) => d.severity === severity).length +
      [...fileTotals.values()].reduce((n, t) => n + t[severity], 0) +
      result.dataReports.reduce((n, g) => n + g.report.group.filter((d) => d.severity === severity).length, 0);
    const report: ValidationReport = { manifestPath: file, diagnostics: other, groups: result.dataReports, errors: count('error'), warnings: count('warning') };
    const format = outputFormat(ctx.args);
    ctx.io.out(format === 'json' ? renderValidationJson(report) : format === 'markdown' ? renderValidationMarkdown(report) : renderValidationText(report));
    await jobSummary(ctx, () => renderValidationMarkdown(report));
    return report.errors === 0 ? EXIT.ok : EXIT.error;
  },
};
