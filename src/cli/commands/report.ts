import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { error, PocError } from '../../diagnostics/index.ts';
import { gatesPass } from '../../report/build.ts';
import { gateFailureLine } from '../../report/gates.ts';
import { makeReport } from '../../report/make-report.ts';
import type { Report } from '../../report/types.ts';
import { renderReportCsv } from '../../render/report-csv.ts';
import { renderReportHtml } from '../../render/report-html.ts';
import { renderReportJson } from '../../render/report-json.ts';
import { renderReportMarkdown } from '../../render/report-markdown.ts';
import { renderReportText } from '../../render/report-text.ts';
import { FILE_OPTION, flag, stringOption } from '../args.ts';
import { jobSummary } from '../ci-output.ts';
import { EXIT, type Command } from '../command.ts';
import { checkedInputs, withTarget } from '../session.ts';

const FORMATS = ['text', 'markdown', 'json', 'csv', 'html'] as const;
type ReportFormat = (typeof FORMATS)[number];

function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'markdown':
      return renderReportMarkdown(report);
    case 'json':
      return renderReportJson(report);
    case 'csv':
      return renderReportCsv(report);
    case 'html':
      return renderReportHtml(report);
    case 'text':
      return renderReportText(report);
  }
}

function formatOf(raw: string | undefined): ReportFormat {
  const format = raw ?? 'text';
  if ((FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new PocError(error('invalid-option-value', `--format must be one of ${FORMATS.join(', ')}; got '${format}'.`));
}

export const reportCommand: Command = {
  spec: {
    name: 'report',
    usage: 'poc report [-f poc.yaml] [--format text|markdown|json|csv|html] [--out PATH] [--check]',
    summary: 'Offline metrics of the newest trained version of every solution, compared with the baseline and checked against the gates.',
    positionals: 0,
    options: {
      ...FILE_OPTION,
      format: { type: 'string', value: 'FORMAT', help: 'text (default), markdown (PR comments, job summaries), json, csv or html (a self-contained page with charts).', choices: FORMATS },
      out: { type: 'string', value: 'PATH', help: 'Write the report to PATH instead of standard output.' },
      check: { type: 'boolean', help: 'Exit 1 when a gate of the evaluation section fails, naming the gate and the margin.' },
    },
    notes: 'With --local, intervals: each metric gets a 95% bootstrap interval over the held-out users, recomputed from the data files.',
  },
  async run(ctx) {
    const format = formatOf(stringOption(ctx.args, 'format'));
    const inputs = await checkedInputs(ctx);
    const report = await withTarget(ctx, inputs, (base, target) =>
      makeReport(inputs.manifest, inputs.graph, { clients: base.clients, pocName: base.pocName, region: base.region, localIntervals: target.kind === 'local' }),
    );
    const text = renderReport(report, format);
    const out = stringOption(ctx.args, 'out');
    if (out === undefined) ctx.io.out(text);
    else {
      const path = resolve(ctx.io.cwd, out);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      ctx.io.err(`Wrote the ${format} report to ${out}.`);
    }
    await jobSummary(ctx, (limit) => renderReportMarkdown(report, { limit }));
    if (flag(ctx.args, 'check') && !gatesPass(report)) {
      for (const g of report.gates.filter((x) => x.outcome === 'fail')) ctx.io.err(gateFailureLine(g));
      return EXIT.error;
    }
    return EXIT.ok;
  },
};
