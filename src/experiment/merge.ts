/**
 * `abrlab merge DIR... --out DIR`: recombines the shards of one sweep into exactly the unsharded run —
 * results.jsonl and summary.json byte for byte, plus run.json, scenario.yaml and, when the scenario file is still
 * reachable, timelines.jsonl and the report. Streams: one line of each shard in flight at a time.
 */
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.js';
import type { ReportSession } from '../report/types.js';
import { METRIC_COUNT, StreamingAggregator, writeMetricVector, type PolicyAggregate } from './aggregate.js';
import { prepareRun, runFingerprint } from './context.js';
import { readManifest, writeManifest, writeRunReport, writeSummary, writeTimelines, type RunManifest } from './results-dir.js';
import { loadScenarioFile } from './scenario.js';
import { shardOf } from './shard.js';

export interface MergeOptions {
  dirs: string[];
  outDir: string;
  /** Scenario file for the timelines and report (default: the one recorded in the shards' run.json). */
  scenarioFile?: string;
}

export interface MergeOutcome {
  sessions: number;
  aggregates: PolicyAggregate[];
  files: { results: string; summary: string; timelines?: string; report?: string };
  /** Why no timelines / report were written, when they were not. */
  note?: string;
}

export async function mergeShards(opts: MergeOptions): Promise<MergeOutcome> {
  const manifests = await Promise.all(opts.dirs.map(async (dir) => ({ dir, m: await mustManifest(dir) })));
  const shards = orderShards(manifests);
  const first = (shards[0] as { dir: string; m: RunManifest }).m;
  const count = shards.length;
  await mkdir(opts.outDir, { recursive: true });
  for (const s of shards) {
    if (resolve(s.dir) === resolve(opts.outDir)) throw new InputError('--out must not be one of the shard directories', { file: s.dir });
  }

  const readers = shards.map((s) => createInterface({ input: createReadStream(join(s.dir, 'results.jsonl'), 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]());
  const resultsFile = join(opts.outDir, 'results.jsonl');
  const out = await open(resultsFile, 'w');
  const agg = new StreamingAggregator();
  const vec = new Float64Array(METRIC_COUNT);
  try {
    let buffered = '';
    for (let i = 0; i < first.sessions; i++) {
      const s = shardOf(i, first.armsPerUser, count);
      const next = await (readers[s] as AsyncIterator<string>).next();
      if (next.done === true) throw new InputError(`results.jsonl ends early (session ${i} of the plan is missing)`, { file: join((shards[s] as { dir: string }).dir, 'results.jsonl') });
      const row = JSON.parse(next.value) as ReportSession;
      writeMetricVector(row, vec, 0);
      agg.add(row.policy, row.variant, i, vec, 0);
      buffered += next.value + '\n';
      if (buffered.length > 1 << 20) {
        await out.write(buffered);
        buffered = '';
      }
    }
    await out.write(buffered);
    for (const [s, r] of readers.entries()) {
      if ((await r.next()).done !== true) throw new InputError('results.jsonl holds more sessions than its shard of the plan', { file: join((shards[s] as { dir: string }).dir, 'results.jsonl') });
    }
  } finally {
    await out.close();
  }

  const { shard: _shard, ...rest } = first;
  await writeManifest(opts.outDir, { ...rest, shardSessions: first.sessions, complete: true });
  await copyFile(join((shards[0] as { dir: string }).dir, 'scenario.yaml'), join(opts.outDir, 'scenario.yaml'));
  const aggregates = agg.aggregates();
  const summary = await writeSummary(opts.outDir, first.summaryHead, first.sessions, aggregates);
  const outcome: MergeOutcome = { sessions: first.sessions, aggregates, files: { results: resultsFile, summary } };

  const scenarioFile = opts.scenarioFile ?? first.scenarioFile;
  if (!existsSync(scenarioFile)) {
    outcome.note = `scenario ${scenarioFile} not found: no timelines or report (pass --scenario F)`;
    return outcome;
  }
  const ctx = await prepareRun(await loadScenarioFile(scenarioFile));
  if (runFingerprint(ctx) !== first.fingerprint) {
    outcome.note = `scenario ${scenarioFile} is not the one the shards ran (fingerprint differs): no timelines or report`;
    return outcome;
  }
  outcome.files.timelines = await writeTimelines(opts.outDir, ctx, agg);
  const report = await writeRunReport(opts.outDir, ctx);
  if (report !== undefined) outcome.files.report = report;
  return outcome;
}

async function mustManifest(dir: string): Promise<RunManifest> {
  const m = await readManifest(dir);
  if (m === undefined) throw new InputError('no run.json: not a results directory of abrlab run', { file: dir });
  if (m.shard === undefined) throw new InputError('this directory is not a shard (it was run without --shard)', { file: dir });
  if (!m.complete) throw new InputError('this shard did not finish; finish it with `abrlab run … --resume` first', { file: dir });
  return m;
}

/** The shards sorted by index, after checking they are all the shards of one plan, each once. */
function orderShards(list: { dir: string; m: RunManifest }[]): { dir: string; m: RunManifest }[] {
  const [head] = list;
  if (head === undefined) throw new InputError('give at least one shard directory');
  const count = (head.m.shard as { count: number }).count;
  const byIndex = new Map<number, { dir: string; m: RunManifest }>();
  for (const s of list) {
    const shard = s.m.shard as { index: number; count: number };
    if (s.m.fingerprint !== head.m.fingerprint) throw new InputError(`was made by a different scenario or inputs than ${head.dir}`, { file: s.dir });
    if (shard.count !== count) throw new InputError(`is shard ${shard.index}/${shard.count}, but ${head.dir} is one of ${count}`, { file: s.dir });
    const dup = byIndex.get(shard.index);
    if (dup !== undefined) throw new InputError(`shard ${shard.index}/${count} is given twice (also ${dup.dir})`, { file: s.dir });
    byIndex.set(shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new InputError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  return Array.from({ length: count }, (_, i) => byIndex.get(i) as { dir: string; m: RunManifest });
}
