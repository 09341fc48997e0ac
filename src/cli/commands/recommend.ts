import { GetPersonalizedRankingCommand, GetRecommendationsCommand, type PredictedItem } from '@aws-sdk/client-personalize-runtime';
import { dirname } from 'node:path';
import { error, hasErrors, PocError } from '../../diagnostics/index.ts';
import type { Manifest } from '../../manifest/types.ts';
import type { RecommendResult } from '../../render/recommend-result.ts';
import { renderRecommendJson } from '../../render/recommend-json.ts';
import { renderRecommendMarkdown } from '../../render/recommend-markdown.ts';
import { renderRecommendText } from '../../render/recommend-text.ts';
import { FILE_OPTION, stringOption, type ParsedArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { FORMAT_OPTION, outputFormat } from '../format.ts';
import { loadUserManifest } from '../inputs.ts';
import { printDiagnostics } from '../io.ts';
import { liveArn } from '../recommend-lookup.ts';
import { filterValuesOf, resolveRef, type ServingRef } from '../recommend-refs.ts';
import { runtimeClient } from '../runtime-client.ts';
import { envOption, manifestFile } from '../session.ts';
import { connectTarget, type ConnectedTarget } from '../target.ts';

const DEFAULT_COUNT = 10;
const MAX_COUNT = 500;

/** What the flags ask for, checked before anything connects. */
interface Request {
  readonly source: ServingRef;
  readonly filter?: { readonly ref: ServingRef; readonly values: Record<string, string> };
  readonly userId?: string;
  readonly itemId?: string;
  readonly rank?: readonly string[];
  readonly count: number;
}

export const recommendCommand: Command = {
  spec: {
    name: 'recommend',
    usage: 'poc recommend (--campaign GROUP.KEY | --recommender GROUP.KEY) (--user ID | --item ID) [--filter KEY --values NAME=v1,v2] [-n 10]',
    summary: 'Ask a campaign or recommender of poc.yaml for recommendations: for a user, items related to an item, or (--rank) a list re-ordered for a user.',
    positionals: 0,
    options: {
      ...FILE_OPTION,
      campaign: { type: 'string', value: 'GROUP.KEY', help: 'A campaign declared in poc.yaml (the key alone when one group has it).' },
      recommender: { type: 'string', value: 'GROUP.KEY', help: 'A recommender of a domain dataset group declared in poc.yaml.' },
      user: { type: 'string', value: 'ID', help: 'The user to recommend for (USER_ID).' },
      item: { type: 'string', value: 'ID', help: 'The item to find related items for (related-items recipes and use cases).' },
      rank: { type: 'string', value: 'ID,ID,...', help: 'Re-order these items for --user (a personalized-ranking campaign).' },
      filter: { type: 'string', value: 'KEY', help: "A filter of the same dataset group, by its key in poc.yaml." },
      values: { type: 'string', value: 'NAME=v1,v2', help: "Values of the filter's $PARAMETERS; separate several parameters with ';'." },
      'num-results': { type: 'string', short: 'n', value: 'N', help: `How many items (1-${MAX_COUNT}; default ${DEFAULT_COUNT}).` },
      ...FORMAT_OPTION,
    },
    notes: 'Works against AWS, --endpoint or --local; the campaign must have been created by poc apply.',
  },
  async run(ctx) {
    const manifest = await manifestOf(ctx);
    const request = requestOf(ctx.args, manifest);
    const target = await connectTarget(ctx.args, ctx.io, manifest.region, dirname(manifest.source.file));
    let result: RecommendResult;
    try {
      result = await ask(request, target);
    } finally {
      await target.close();
    }
    const format = outputFormat(ctx.args);
    ctx.io.out(format === 'json' ? renderRecommendJson(result) : format === 'markdown' ? renderRecommendMarkdown(result) : renderRecommendText(result));
    return EXIT.ok;
  },
};

/** Finds the live ARNs, then asks the runtime; the service's refusals become one-line errors. */
async function ask(request: Request, target: ConnectedTarget): Promise<RecommendResult> {
  const sourceArn = await liveArn(target.clients.personalize, request.source);
  const filterArn = request.filter === undefined ? undefined : await liveArn(target.clients.personalize, request.filter.ref);
  const values = request.filter?.values ?? {};
  const filter = filterArn === undefined ? {} : { filterArn, ...(Object.keys(values).length === 0 ? {} : { filterValues: values }) };
  const runtime = runtimeClient(target.clients.target);
  try {
    if (request.rank !== undefined) {
      const ranked = await runtime.send(new GetPersonalizedRankingCommand({ campaignArn: sourceArn, userId: request.userId, inputList: [...request.rank], ...filter }));
      return resultOf(request, sourceArn, ranked.personalizedRanking ?? [], ranked.recommendationId);
    }
    const answer = await runtime.send(
      new GetRecommendationsCommand({
        ...(request.source.kind === 'campaign' ? { campaignArn: sourceArn } : { recommenderArn: sourceArn }),
        ...(request.userId === undefined ? {} : { userId: request.userId }),
        ...(request.itemId === undefined ? {} : { itemId: request.itemId }),
        numResults: request.count,
        ...filter,
      }),
    );
    return resultOf(request, sourceArn, answer.itemList ?? [], answer.recommendationId);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'InvalidInputException' || name === 'ResourceNotFoundException') {
      throw new PocError(error('recommend-refused', `${request.source.kind} ${request.source.ref} refused the request: ${(err as Error).message}`), 'service');
    }
    throw err;
  } finally {
    runtime.destroy();
  }
}

/**
 * poc.yaml alone: asking for recommendations reads names from it, so its data files are not
 * validated again (that is `poc validate`'s and `poc apply`'s work).
 */
async function manifestOf(ctx: Parameters<Command['run']>[0]): Promise<Manifest> {
  const loaded = await loadUserManifest(manifestFile(ctx.args), ctx.io.cwd, envOption(ctx.args));
  if (loaded.manifest === undefined || hasErrors(loaded.diagnostics)) {
    printDiagnostics(ctx.io, loaded.diagnostics);
    throw new PocError([], 'user');
  }
  return loaded.manifest;
}

function requestOf(args: ParsedArgs, manifest: Manifest): Request {
  const campaign = stringOption(args, 'campaign');
  const recommender = stringOption(args, 'recommender');
  if ((campaign === undefined) === (recommender === undefined)) throw new PocError(error('missing-argument', 'poc recommend needs exactly one of --campaign GROUP.KEY and --recommender GROUP.KEY.'));
  const source = resolveRef(manifest, campaign === undefined ? 'recommender' : 'campaign', (campaign ?? recommender) as string);
  if (!source.ok) throw new PocError(source.diagnostic);
  const userId = stringOption(args, 'user');
  const itemId = stringOption(args, 'item');
  const rankText = stringOption(args, 'rank');
  const rank = rankText?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (userId === undefined && itemId === undefined) throw new PocError(error('missing-argument', 'poc recommend needs --user ID (recommendations for a user) or --item ID (related items).'));
  if (rank !== undefined && (userId === undefined || rank.length === 0 || source.value.kind !== 'campaign')) {
    throw new PocError(error('invalid-option-value', '--rank takes a comma-separated list of item ids, with --user and a --campaign.'));
  }
  const countText = stringOption(args, 'num-results');
  const count = countText === undefined ? DEFAULT_COUNT : Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new PocError(error('invalid-option-value', `-n must be a whole number from 1 to ${MAX_COUNT}; got '${countText ?? ''}'.`));
  const filterText = stringOption(args, 'filter');
  const valuesText = stringOption(args, 'values');
  if (filterText === undefined && valuesText !== undefined) throw new PocError(error('missing-argument', '--values gives values to a filter: add --filter KEY.'));
  let filter: Request['filter'];
  if (filterText !== undefined) {
    const ref = resolveRef(manifest, 'filter', filterText.includes('.') ? filterText : `${source.value.groupKey}.${filterText}`, source.value.groupKey);
    if (!ref.ok) throw new PocError(ref.diagnostic);
    const spec = manifest.datasetGroups[ref.value.groupKey]?.filters?.[ref.value.key];
    const values = filterValuesOf(valuesText, spec?.expression ?? '');
    if (!values.ok) throw new PocError(values.diagnostic);
    filter = { ref: ref.value, values: values.value };
  }
  return {
    source: source.value,
    count,
    ...(filter === undefined ? {} : { filter }),
    ...(userId === undefined ? {} : { userId }),
    ...(itemId === undefined ? {} : { itemId }),
    ...(rank === undefined ? {} : { rank }),
  };
}

function resultOf(request: Request, arn: string, items: readonly PredictedItem[], recommendationId: string | undefined): RecommendResult {
  return {
    source: { kind: request.source.kind === 'recommender' ? 'recommender' : 'campaign', ref: request.source.ref, name: request.source.name, arn },
    operation: request.rank === undefined ? 'recommendations' : 'ranking',
    ...(request.userId === undefined ? {} : { userId: request.userId }),
    ...(request.itemId === undefined ? {} : { itemId: request.itemId }),
    ...(request.filter === undefined ? {} : { filter: { ref: request.filter.ref.ref, values: request.filter.values } }),
    items: items.map((i, n) => ({ rank: n + 1, itemId: i.itemId ?? '', ...(i.score === undefined ? {} : { score: i.score }) })),
    ...(recommendationId === undefined ? {} : { recommendationId }),
  };
}
