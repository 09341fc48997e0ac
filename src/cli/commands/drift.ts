import { observeLive } from '../../apply/observe.ts';
import { detectDrift, driftOutcome } from '../../plan/drift.ts';
import { renderDriftJson } from '../../render/drift-json.ts';
import { renderDriftMarkdown } from '../../render/drift-markdown.ts';
import { renderDriftText } from '../../render/drift-text.ts';
import { jobSummary } from '../ci-output.ts';
import { FILE_OPTION } from '../args.ts';
import { type Command } from '../command.ts';
import { FORMAT_OPTION, outputFormat } from '../format.ts';
import { checkedInputs, kinds, withTarget } from '../session.ts';

export const driftCommand: Command = {
  spec: {
    name: 'drift',
    usage: 'poc drift [-f poc.yaml] [--format text|markdown|json]',
    summary: 'Report what changed in the account outside poc.yaml. Never changes anything. Exit 0 in sync, 2 drift, 1 error.',
    positionals: 0,
    options: { ...FILE_OPTION, ...FORMAT_OPTION },
  },
  async run(ctx) {
    const inputs = await checkedInputs(ctx);
    const report = await withTarget(ctx, inputs, async (base) => {
      const live = await observeLive(inputs.graph, kinds, base);
      return detectDrift({ graph: inputs.graph, live, kinds, ownerTags: base.ownerTags, pocName: inputs.manifest.name });
    });
    const format = outputFormat(ctx.args);
    ctx.io.out(format === 'json' ? renderDriftJson(report) : format === 'markdown' ? renderDriftMarkdown(report) : renderDriftText(report));
    await jobSummary(ctx, (limit) => renderDriftMarkdown(report, { limit }));
    return driftOutcome(report).exitCode;
  },
};
