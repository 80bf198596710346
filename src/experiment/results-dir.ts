/**
 * The files of a results directory that the runner and `abrlab merge` share (contract: helpers' COMMON.md and
 * src/report/write-report.ts): `run.json` (the manifest that makes --resume and merge safe), `summary.json`,
 * `scenario.yaml`, `timelines.jsonl`, and the re-reading of a results.jsonl an interrupted run left behind.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.js';
import type { SessionResult } from '../qoe/types.js';
import { sessionKey, type ReportSession } from '../report/types.js';
import { METRIC_COUNT, writeMetricVector, type PolicyAggregate, type StreamingAggregator } from './aggregate.js';
import type { RunContext } from './context.js';
import type { Shard } from './shard.js';
import { runPlannedSession, timelineOf } from './session-run.js';
import { VERSION } from '../version.js';

/** The fixed head of summary.json: everything but the session count and the aggregates. */
export interface SummaryHead {
  abrlab: string;
  kind: 'run';
  scenario: string;
  seed: number | string;
  command: string;
  video: string;
  videos: string[];
  traces: string[];
  variants?: string[];
  replicates: number;
}

/** run.json: what a directory holds, so --resume and merge can refuse what does not belong together. */
export interface RunManifest {
  abrlab: string;
  /** runFingerprint(): scenario, version, traces and titles. */
  fingerprint: string;
  /** Absolute path of the scenario file (merge re-simulates the drawn timelines from it). */
  scenarioFile: string;
  /** Sessions in the whole plan, and per user (variants × policies): merge rebuilds the plan order from them. */
  sessions: number;
  armsPerUser: number;
  shard?: Shard;
  /** Sessions this directory holds when complete. */
  shardSessions: number;
  complete: boolean;
  summaryHead: SummaryHead;
}

export function summaryHeadOf(ctx: RunContext, command: string): SummaryHead {
  const variants = ctx.variants.map((v) => v.name).filter((n): n is string => n !== undefined);
  return {
    abrlab: VERSION,
    kind: 'run',
    scenario: ctx.scenario.name,
    seed: ctx.scenario.seed,
    command,
    video: ctx.videos[0]?.name ?? '',
    videos: ctx.videos.map((v) => v.name),
    traces: ctx.traces.map((t) => t.name),
    ...(variants.length === 0 ? {} : { variants }),
    replicates: ctx.scenario.replicates,
  };
}

export async function readManifest(dir: string): Promise<RunManifest | undefined> {
  const text = await readFile(join(dir, 'run.json'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RunManifest;
  } catch {
    throw new InputError('run.json is not valid JSON (not an abrlab results directory?)', { file: join(dir, 'run.json') });
  }
}

export async function writeManifest(dir: string, m: RunManifest): Promise<void> {
  await writeFile(join(dir, 'run.json'), JSON.stringify(m, null, 2) + '\n');
}

/** summary.json of `sessions` aggregated sessions (byte-identical for the same sessions, however produced). */
export async function writeSummary(dir: string, head: SummaryHead, sessions: number, aggregates: PolicyAggregate[], shard?: Shard): Promise<string> {
  const { abrlab, kind, scenario, seed, command, ...rest } = head;
  const summary = { abrlab, kind, scenario, seed, command, sessions, ...rest, ...(shard === undefined ? {} : { shard }), policies: aggregates };
  const file = join(dir, 'summary.json');
  await writeFile(file, JSON.stringify(summary, null, 2) + '\n');
  return file;
}

/**
 * Re-reads the results.jsonl an interrupted run left: drops a truncated last line (the file is cut back to its
 * last newline), feeds every complete line to the aggregator as plan index `indices[k]`, and returns how many
 * there were. A line that is not the session the plan expects there means the file was not made by this plan.
 */
export async function recoverResults(file: string, indices: readonly number[], agg: StreamingAggregator, ctx: RunContext): Promise<number> {
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size < 0) return 0;
  await truncate(file, await lastNewlineEnd(file, size));
  const vec = new Float64Array(METRIC_COUNT);
  let k = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const index = indices[k];
    let row: ReportSession;
    try {
      row = JSON.parse(line) as ReportSession;
    } catch {
      throw new InputError(`line ${k + 1} is not JSON; cannot resume (run without --resume to start over)`, { file });
    }
    const spec = index === undefined ? undefined : ctx.plan.spec(index);
    const policy = spec === undefined ? undefined : ctx.policies[spec.policyIndex]?.label;
    if (spec === undefined || row.policy !== policy || row.trace !== ctx.traces[spec.traceIndex]?.name || String(row.seed) !== String(spec.seed)) {
      throw new InputError(`line ${k + 1} is not the session the plan expects there; cannot resume (run without --resume to start over)`, { file });
    }
    writeMetricVector(row, vec, 0);
    agg.add(row.policy, row.variant, index as number, vec, 0);
    k++;
  }
  return k;
}

/** Byte length of the file up to and including its last "\n" (0 when it has none). */
async function lastNewlineEnd(file: string, size: number): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

/**
 * timelines.jsonl: the best, median and worst session of each group, re-simulated with the timeline recorder on
 * (the sweep itself records none). Returns the file.
 */
export async function writeTimelines(dir: string, ctx: RunContext, agg: StreamingAggregator): Promise<string> {
  const lines: string[] = [];
  for (const pick of agg.picks(ctx.scenario.report.timelines)) {
    const row = runPlannedSession(ctx, pick.index);
    lines.push(JSON.stringify({ key: sessionKey(row), pick: pick.pick, group: pick.group, timeline: timelineOf(ctx, pick.index) }));
  }
  const file = join(dir, 'timelines.jsonl');
  await writeFile(file, lines.map((l) => l + '\n').join(''));
  return file;
}

/** The plan index of a result row, or undefined when the row is not a session of this plan. */
export function planIndexOfRow(ctx: RunContext, row: SessionResult & { variant?: string; replicate?: number }): number | undefined {
  const videoIndex = ctx.videos.findIndex((v) => v.name === row.video);
  const traceIndex = ctx.traces.findIndex((t) => t.name === row.trace);
  const policyIndex = ctx.policies.findIndex((p) => p.label === row.policy);
  const variantIndex = ctx.variants.findIndex((v) => v.name === row.variant);
  const replicate = row.replicate ?? 0;
  if (videoIndex < 0 || traceIndex < 0 || policyIndex < 0 || variantIndex < 0 || replicate >= ctx.plan.replicates) return undefined;
  const index = ctx.plan.indexOf({ videoIndex, traceIndex, replicate, variantIndex, policyIndex });
  return String(ctx.plan.spec(index).seed) === String(row.seed) ? index : undefined;
}

/** timelines.jsonl, summary are written; now the HTML report (report/write-report.ts), when the scenario wants one. */
export async function writeRunReport(dir: string, ctx: RunContext): Promise<string | undefined> {
  if (!ctx.scenario.report.html) return undefined;
  const { writeReport } = await import('../report/write-report.js');
  const written = await writeReport({
    dir,
    maxTimelines: ctx.scenario.report.timelines,
    resolveTimeline: (session) => {
      const index = planIndexOfRow(ctx, session);
      return index === undefined ? undefined : timelineOf(ctx, index);
    },
  });
  return written.html;
}
