import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { closest, error } from '../diagnostics/index.ts';
import type { Diagnostic, SourceLocation } from '../diagnostics/index.ts';
import { fileProblem, resolvePaths } from './files.ts';
import type { ManifestContext } from './files.ts';
import { batchJobBase, checkName, MAX_NAME_LENGTH, metricAttributionName } from './naming.ts';
import { recipeNameOf } from './recipes.ts';
import type { BatchInputSpec, BatchJobSpec, BatchJobType, MetricAttributionSpec } from './types.ts';
import { where } from './yaml-source.ts';
import type { DocPath } from './yaml-source.ts';
import { KEY, record, wellFormedPocName } from './raw-document.ts';

interface RawBatchJob {
  solution: string;
  input: string;
  output: string;
  numResults?: number;
  filter?: string;
  name?: string;
  protect?: boolean;
}

/** The batch sections of one dataset group as written, once they have passed the JSON Schema. */
export interface RawBatch {
  batchInferenceJobs?: Record<string, RawBatchJob>;
  batchSegmentJobs?: Record<string, RawBatchJob>;
  metricAttribution?: { metrics: { name: string; eventType: string; expression: string }[]; output?: string; name?: string; protect?: boolean };
}

/** Absolute input path -> sha256 of its bytes, for every local input file that passed the checks. */
export type BatchInputHashes = ReadonlyMap<string, string>;

/** What one line of a batch input must carry, by the solution's recipe (the service's input formats). */
type LineShape = 'userId' | 'itemId' | 'ranking' | 'itemAttributes';

const SEGMENT_SHAPES: Readonly<Record<string, LineShape>> = { 'aws-item-affinity': 'itemId', 'aws-item-attribute-affinity': 'itemAttributes' };
const RELATED = new Set(['aws-sims', 'aws-similar-items', 'aws-semantic-similarity']);
const RANKING = new Set(['aws-personalized-ranking', 'aws-personalized-ranking-v2']);
const NO_BATCH_INFERENCE = new Set(['aws-trending-now', 'aws-next-best-action']);
/** The API reference's limit for batch inference; segments may hold up to 5 million users. */
const MAX_INFERENCE_RESULTS = 500;
/** Line problems reported per input file; the rest are counted. */
const MAX_LINE_PROBLEMS = 10;
const EXPRESSION = /^\s*(?:SUM\(\s*(?:INTERACTIONS|ITEMS)\.[A-Za-z_][A-Za-z0-9_]*\s*\)|SAMPLECOUNT\(\s*\))\s*$/i;

const SECTIONS: readonly { readonly section: 'batchInferenceJobs' | 'batchSegmentJobs'; readonly type: BatchJobType }[] = [
  { section: 'batchInferenceJobs', type: 'inference' },
  { section: 'batchSegmentJobs', type: 'segment' },
];

/** The typed batch jobs and metric attribution of one group; `hashes` holds each local input's sha256. */
export function buildBatch(
  groupKey: string,
  raw: RawBatch,
  ctx: ManifestContext,
  hashes: BatchInputHashes,
): { batchInferenceJobs?: Record<string, BatchJobSpec>; batchSegmentJobs?: Record<string, BatchJobSpec>; metricAttribution?: MetricAttributionSpec } {
  const out: { batchInferenceJobs?: Record<string, BatchJobSpec>; batchSegmentJobs?: Record<string, BatchJobSpec>; metricAttribution?: MetricAttributionSpec } = {};
  for (const { section, type } of SECTIONS) {
    const jobs = raw[section];
    if (jobs === undefined) continue;
    const built: Record<string, BatchJobSpec> = {};
    for (const [key, j] of Object.entries(jobs)) {
      const output = resolvePaths(j.output, ctx).absolute;
      built[key] = {
        key,
        group: groupKey,
        type,
        ...(j.name === undefined ? {} : { name: j.name }),
        solution: j.solution,
        input: inputOf(j.input, ctx, hashes),
        output,
        outputAsWritten: j.output,
        ...(j.numResults === undefined ? {} : { numResults: j.numResults }),
        ...(j.filter === undefined ? {} : { filter: j.filter }),
        protect: j.protect ?? false,
        at: ctx.source.locateKey(['datasetGroups', groupKey, section, key]),
      };
    }
    out[section] = built;
  }
  const m = raw.metricAttribution;
  if (m !== undefined) {
    out.metricAttribution = {
      group: groupKey,
      ...(m.name === undefined ? {} : { name: m.name }),
      metrics: m.metrics.map((x) => ({ name: x.name, eventType: x.eventType, expression: x.expression })),
      ...(m.output === undefined ? {} : { output: m.output }),
      protect: m.protect ?? false,
      at: ctx.source.locateKey(['datasetGroups', groupKey, 'metricAttribution']),
    };
  }
  return out;
}

function inputOf(input: string, ctx: ManifestContext, hashes: BatchInputHashes): BatchInputSpec {
  if (input.startsWith('s3://')) return { kind: 's3', uri: input };
  const path = resolvePaths(input, ctx).absolute;
  const sha256 = hashes.get(path);
  // checkBatch hashed every local input or reported an error, so a manifest never gets here without one.
  if (sha256 === undefined) throw new Error(`buildBatch: no sha256 for ${path}`);
  return { kind: 'file', path, asWritten: input, sha256 };
}

function lineShapeOf(type: BatchJobType, recipe: string): LineShape | string {
  if (type === 'segment') return SEGMENT_SHAPES[recipe] ?? `batch segment jobs need a USER_SEGMENTATION solution (aws-item-affinity or aws-item-attribute-affinity); this one uses ${recipe}`;
  if (SEGMENT_SHAPES[recipe] !== undefined) return `${recipe} makes user segments: declare the job under batchSegmentJobs`;
  if (NO_BATCH_INFERENCE.has(recipe)) return `${recipe} offers no batch inference`;
  if (RELATED.has(recipe)) return 'itemId';
  if (RANKING.has(recipe)) return 'ranking';
  return 'userId';
}

/** Why one parsed input line does not fit `shape`, or undefined when it does. */
function lineProblem(value: unknown, shape: LineShape): string | undefined {
  const line = record(value);
  if (line === undefined) return 'is not a JSON object';
  const text = (member: string): boolean => typeof line[member] === 'string' && line[member] !== '';
  switch (shape) {
    case 'userId':
      return text('userId') ? undefined : 'needs a "userId" string';
    case 'itemId':
      return text('itemId') ? undefined : 'needs an "itemId" string';
    case 'itemAttributes':
      return text('itemAttributes') ? undefined : 'needs an "itemAttributes" string';
    case 'ranking': {
      const list = line['itemList'];
      if (!text('userId')) return 'needs a "userId" string';
      return Array.isArray(list) && list.length > 0 && list.every((i) => typeof i === 'string') ? undefined : 'needs an "itemList" array of item id strings';
    }
  }
}

/** Reads a local input once: its sha256, and the first problems of its lines (1-based line numbers). */
async function scanInput(path: string, shape: LineShape, display: string): Promise<{ sha256: string; diagnostics: Diagnostic[] }> {
  const hash = createHash('sha256');
  const diagnostics: Diagnostic[] = [];
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let lineNo = 0;
  let lines = 0;
  let problems = 0;
  const check = (text: string): void => {
    lineNo += 1;
    if (text.trim() === '') return;
    lines += 1;
    let value: unknown;
    let why: string | undefined;
    try {
      value = JSON.parse(text);
      why = lineProblem(value, shape);
    } catch {
      why = 'is not valid JSON';
    }
    if (why === undefined) return;
    problems += 1;
    if (problems <= MAX_LINE_PROBLEMS) diagnostics.push(error('batch-input-line', `batch input line ${lineNo} ${why}`, { file: display, line: lineNo, column: 1 }));
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) check(part.replace(/\r$/, ''));
  }
  carry += decoder.decode();
  if (carry !== '') check(carry.replace(/\r$/, ''));
  if (problems > MAX_LINE_PROBLEMS) diagnostics.push(error('batch-input-line', `batch input has ${problems - MAX_LINE_PROBLEMS} more bad lines`, { file: display }));
  if (lines === 0) diagnostics.push(error('batch-input-empty', 'batch input has no lines; write one JSON object per line', { file: display, line: 1, column: 1 }));
  return { sha256: hash.digest('hex'), diagnostics };
}

/**
 * What JSON Schema cannot say about batch jobs and metric attributions: a job's solution and
 * filter are declared in the same group (did-you-mean otherwise), the solution's recipe suits the
 * job, a local input file exists and is JSON Lines of the shape that recipe reads (problems at
 * their line in the input file), the output is a local folder, generated names fit, and metric
 * expressions use the documented functions. Also hashes each good local input, for the build.
 */
export async function checkBatch(value: unknown, ctx: ManifestContext): Promise<{ diagnostics: Diagnostic[]; hashes: Map<string, string> }> {
  const out: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  const scans: Promise<void>[] = [];
  const at = (path: DocPath, onKey = false): SourceLocation & { path?: string } => where(ctx.source, path, onKey);
  const root = record(value) ?? {};
  const pocName = wellFormedPocName(root);
  for (const [groupKey, groupValue] of Object.entries(record(root['datasetGroups']) ?? {})) {
    const group = record(groupValue) ?? {};
    const solutions = record(group['solutions']) ?? {};
    const filters = Object.keys(record(group['filters']) ?? {});
    for (const { section, type } of SECTIONS) {
      for (const [key, jobValue] of Object.entries(record(group[section]) ?? {})) {
        const job = record(jobValue) ?? {};
        const path = ['datasetGroups', groupKey, section, key];
        const override = typeof job['name'] === 'string' ? job['name'] : undefined;
        if (pocName !== undefined && KEY.test(groupKey) && KEY.test(key)) out.push(...checkJobName(override ?? batchJobBase(pocName, groupKey, key), override !== undefined, at(path, true)));
        const shape = checkSolution(job, type, groupKey, key, solutions, [...path, 'solution'], at, out);
        const filter = job['filter'];
        if (typeof filter === 'string' && !filters.includes(filter)) {
          const guess = closest(filter, filters);
          const known = filters.length === 0 ? `group "${groupKey}" declares no filters` : `declared in "${groupKey}": ${filters.join(', ')}`;
          out.push(error('unknown-filter', `batch job "${key}" uses filter "${filter}", which is not declared in dataset group "${groupKey}"${guess === undefined ? `; ${known}` : `; did you mean "${guess}"?`}`, at([...path, 'filter'])));
        }
        const numResults = job['numResults'];
        if (type === 'inference' && typeof numResults === 'number' && numResults > MAX_INFERENCE_RESULTS) {
          out.push(error('batch-num-results', `numResults ${numResults} is above ${MAX_INFERENCE_RESULTS}, the most a batch inference job returns per line`, at([...path, 'numResults'])));
        }
        const output = job['output'];
        if (typeof output === 'string' && output.startsWith('s3://')) {
          out.push(error('batch-output-local', 'output is the local folder the results are downloaded into, not an S3 location', { ...at([...path, 'output']), hint: 'write a folder such as results/nightly; the job itself writes under the POC bucket' }));
        }
        const input = job['input'];
        if (typeof input !== 'string' || input === '' || input.startsWith('s3://')) continue;
        const { absolute, display } = resolvePaths(input, ctx);
        scans.push(
          fileProblem(absolute).then(async (problem) => {
            if (problem !== undefined) {
              out.push(error(`batch-input-${problem.code}`, `batch input ${display} ${problem.message}`, at([...path, 'input'])));
              return;
            }
            // Without a known recipe the lines cannot be judged; the solution's own error says why.
            const scan = await scanInput(absolute, shape ?? 'userId', display);
            if (shape !== undefined) out.push(...scan.diagnostics);
            hashes.set(absolute, scan.sha256);
          }),
        );
      }
    }
    const metrics = record(group['metricAttribution']);
    if (metrics !== undefined) out.push(...checkMetrics(metrics, groupKey, pocName, at));
  }
  await Promise.all(scans);
  return { diagnostics: out, hashes };
}

/** The solution's line shape, or undefined after reporting why there is none. */
function checkSolution(
  job: Record<string, unknown>,
  type: BatchJobType,
  groupKey: string,
  key: string,
  solutions: Record<string, unknown>,
  path: DocPath,
  at: (path: DocPath) => SourceLocation & { path?: string },
  out: Diagnostic[],
): LineShape | undefined {
  const solutionKey = job['solution'];
  if (typeof solutionKey !== 'string') return undefined;
  const solution = record(solutions[solutionKey]);
  if (solution === undefined) {
    const declared = Object.keys(solutions);
    const guess = closest(solutionKey, declared);
    const known = declared.length === 0 ? `group "${groupKey}" declares no solution` : `declared in "${groupKey}": ${declared.join(', ')}`;
    out.push(error('unknown-solution', `batch job "${key}" uses solution "${solutionKey}", which is not declared in dataset group "${groupKey}"${guess === undefined ? `; ${known}` : `; did you mean "${guess}"?`}`, at(path)));
    return undefined;
  }
  const recipe = typeof solution['recipe'] === 'string' ? (recipeNameOf(solution['recipe']) ?? solution['recipe']) : undefined;
  if (recipe === undefined) return undefined;
  const shape = lineShapeOf(type, recipe);
  if (shape === 'userId' || shape === 'itemId' || shape === 'ranking' || shape === 'itemAttributes') return shape;
  out.push(error('batch-recipe', `batch job "${key}": ${shape}`, at(path)));
  return undefined;
}

/** The longest name a job will take: its content hash and a `-NN` retry suffix after the base. */
function checkJobName(base: string, overridden: boolean, location: SourceLocation & { path?: string }): Diagnostic[] {
  const longest = `${base}-00000000-99`;
  const problem = checkName(longest);
  if (problem === undefined) return [];
  if (problem === 'bad-pattern') return [error('bad-name', `the batch job name "${base}" is not a Personalize name: letters, digits, - and _, starting with a letter or digit`, location)];
  return [
    error('name-too-long', `batch job names reach ${longest.length} characters ("${base}-<sha8>-NN"); Personalize allows at most ${MAX_NAME_LENGTH}`, {
      ...location,
      hint: overridden ? 'shorten its `name:`' : 'shorten the POC name, the group key or the job key, or give the job a shorter `name:`',
    }),
  ];
}

function checkMetrics(metrics: Record<string, unknown>, groupKey: string, pocName: string | undefined, at: (path: DocPath, onKey?: boolean) => SourceLocation & { path?: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const base = ['datasetGroups', groupKey, 'metricAttribution'];
  const override = typeof metrics['name'] === 'string' ? metrics['name'] : undefined;
  const name = override ?? (pocName !== undefined && KEY.test(groupKey) ? metricAttributionName(pocName, groupKey) : undefined);
  if (name !== undefined && checkName(name) !== undefined) {
    out.push(error('name-too-long', `the metric attribution name "${name}" has ${name.length} characters or is not a Personalize name; at most ${MAX_NAME_LENGTH} letters, digits, - and _`, at(base, true)));
  }
  const seen = new Set<string>();
  const list = Array.isArray(metrics['metrics']) ? (metrics['metrics'] as unknown[]) : [];
  list.forEach((metricValue, i) => {
    const metric = record(metricValue) ?? {};
    const expression = metric['expression'];
    if (typeof expression === 'string' && !EXPRESSION.test(expression)) {
      out.push(error('metric-expression', `metric expression "${expression}" is not SUM(Interactions.<column>), SUM(Items.<column>) or SAMPLECOUNT()`, { ...at([...base, 'metrics', i, 'expression']), hint: 'e.g. SUM(Items.PRICE) for revenue, SAMPLECOUNT() for a count of events' }));
    }
    const metricName = metric['name'];
    if (typeof metricName === 'string') {
      if (seen.has(metricName)) out.push(error('metric-duplicate', `metric "${metricName}" is declared twice`, at([...base, 'metrics', i, 'name'])));
      seen.add(metricName);
    }
  });
  return out;
}
