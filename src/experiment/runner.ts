/**
 * The sweep runner: a scenario's plan (or one shard of it) through a pool of worker threads, results streamed to
 * results.jsonl in plan order and aggregated on the fly, then summary.json, scenario.yaml, timelines.jsonl and the
 * report. The outputs are byte-identical whatever the number of workers, with or without --resume, and the merged
 * shards equal the unsharded run (tested in test/experiment/).
 */
import { open, mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { METRIC_COUNT, StreamingAggregator, type PolicyAggregate } from './aggregate.js';
import { deserializeError, runBatch, type BatchRequest, type BatchResult } from './batch.js';
import { prepareRun, runFingerprint, type RunContext } from './context.js';
import { WorkerPool } from './pool.js';
import { startProgress } from './progress.js';
import { readManifest, recoverResults, summaryHeadOf, writeManifest, writeRunReport, writeSummary, writeTimelines, type RunManifest } from './results-dir.js';
import type { LoadedScenario } from './scenario.js';
import { unitSessions } from './edge-groups.js';
import { shardIndices, type Shard } from './shard.js';
import type { SweepWorkerData } from './worker.js';

export interface RunOptions {
  outDir: string;
  /** The command recorded in summary.json: keep it free of flags that do not change results (--workers, --out). */
  command: string;
  /** Worker threads; default every core (runs under 50 sessions: none); 0 runs in this thread. */
  workers?: number;
  /** No progress bar. */
  quiet?: boolean;
  /** Continue the run in outDir: keep its complete sessions, run the rest. */
  resume?: boolean;
  /** Run only this shard of the plan (shard.ts). */
  shard?: Shard;
  /** Called after every batch written. */
  onProgress?: (done: number, total: number) => void;
}

export interface RunOutcome {
  outDir: string;
  /** Sessions in results.jsonl (this shard's, when sharded). */
  sessions: number;
  /** Of those, how many a --resume found already done. */
  resumed: number;
  aggregates: PolicyAggregate[];
  shard?: Shard;
  files: { results: string; summary: string; run: string; scenario: string; timelines?: string; report?: string };
}

/** Sessions per batch at most: small enough to keep workers balanced, large enough that messaging is noise. */
const MAX_BATCH = 64;
/** Fewer sessions than this per worker is not worth starting a worker for. */
const MIN_SESSIONS_PER_WORKER = 4;
/** Below this many sessions the default is to run in the main thread. */
const SMALL_RUN = 50;

interface Executor {
  run(req: BatchRequest): Promise<BatchResult>;
  close(): Promise<void>;
}

export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const ctx = await prepareRun(loaded);
  const { plan } = ctx;
  // The shard unit: a user's arms, or with cdnSharing a block of users (edge-groups.ts), never split.
  const unit = unitSessions(ctx);
  const indices = shardIndices(plan.sessions, unit, opts.shard);
  const fingerprint = runFingerprint(ctx);
  await mkdir(opts.outDir, { recursive: true });
  const files = {
    results: join(opts.outDir, 'results.jsonl'),
    summary: join(opts.outDir, 'summary.json'),
    run: join(opts.outDir, 'run.json'),
    scenario: join(opts.outDir, 'scenario.yaml'),
  };
  const summaryHead = summaryHeadOf(ctx, opts.command);
  const manifest: RunManifest = {
    abrlab: summaryHead.abrlab,
    fingerprint,
    scenarioFile: resolve(loaded.file),
    sessions: plan.sessions,
    // merge deals plan indices to shards by this unit (the arms of a user, or of a cdnSharing block of users).
    armsPerUser: unit,
    ...(opts.shard === undefined ? {} : { shard: opts.shard }),
    shardSessions: indices.length,
    complete: false,
    summaryHead,
  };
  const agg = new StreamingAggregator();
  let resumed = 0;
  if (opts.resume === true) resumed = await resumeFrom(opts.outDir, manifest, indices, agg, ctx);
  // Without --resume the directory starts afresh; the manifest goes first, so an interrupted run can resume.
  await writeManifest(opts.outDir, manifest);
  await writeFile(files.scenario, loaded.text);
  const out = await open(files.results, resumed > 0 ? 'a' : 'w');
  const remaining = indices.slice(resumed);
  // Starting a worker costs tens of ms compiled and about a second under tsx: small runs stay in this thread
  // unless the caller asked for workers.
  const wanted = opts.workers ?? (remaining.length < SMALL_RUN ? 0 : availableParallelism());
  const workers = Math.min(wanted, Math.ceil(remaining.length / MIN_SESSIONS_PER_WORKER));
  const executor = workers <= 0 ? inlineExecutor(ctx) : poolExecutor(loaded, workers);
  const progress = opts.quiet === true ? undefined : startProgress(indices.length, resumed);
  try {
    const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(remaining.length / (Math.max(1, workers) * 16))));
    const window = Math.max(2, workers * 4);
    const inflight: { indices: number[]; result: Promise<BatchResult> }[] = [];
    let next = 0;
    let done = resumed;
    const grouped = ctx.scenario.cdnSharing !== undefined;
    while (next < remaining.length || inflight.length > 0) {
      while (inflight.length < window && next < remaining.length) {
        const batch = remaining.slice(next, batchEnd(remaining, next, size, grouped ? unit : 1));
        next += batch.length;
        const result = executor.run({ indices: batch });
        result.catch(() => undefined); // awaited in order below; this only keeps a later failure from going unhandled
        inflight.push({ indices: batch, result });
      }
      // Awaiting batches in submission order is the reorder buffer: later batches wait, bounded by the window.
      const head = inflight.shift() as (typeof inflight)[number];
      const res = await head.result;
      await out.write(res.text);
      // The group from the index arithmetic alone (plan.spec would redo the user's draws on this busy thread).
      head.indices.forEach((index, k) => {
        const policyIndex = index % plan.policyCount;
        const variantIndex = Math.floor(index / plan.policyCount) % plan.variantCount;
        agg.add(ctx.policies[policyIndex]?.label ?? '', ctx.variants[variantIndex]?.name, index, res.metrics, k * METRIC_COUNT);
      });
      done += head.indices.length;
      progress?.update(done);
      opts.onProgress?.(done, indices.length);
    }
  } finally {
    progress?.stop();
    await executor.close();
    await out.close();
  }
  await writeManifest(opts.outDir, { ...manifest, complete: true });
  const aggregates = agg.aggregates();
  const summary = await writeSummary(opts.outDir, manifest.summaryHead, indices.length, aggregates, opts.shard);
  const outcome: RunOutcome = {
    outDir: opts.outDir,
    sessions: indices.length,
    resumed,
    aggregates,
    ...(opts.shard === undefined ? {} : { shard: opts.shard }),
    files: { ...files, summary },
  };
  // A shard draws nothing: the report belongs to the merged run (abrlab merge writes it).
  if (opts.shard !== undefined) return outcome;
  outcome.files.timelines = await writeTimelines(opts.outDir, ctx, agg);
  const report = await writeRunReport(opts.outDir, ctx);
  if (report !== undefined) outcome.files.report = report;
  return outcome;
}

async function resumeFrom(dir: string, manifest: RunManifest, indices: number[], agg: StreamingAggregator, ctx: RunContext): Promise<number> {
  const found = await readManifest(dir);
  if (found === undefined) return 0; // nothing to resume: a fresh start
  const where = { file: join(dir, 'run.json') };
  if (found.fingerprint !== manifest.fingerprint) {
    throw new InputError(
      'these results were made by a different scenario, trace set, title or abrlab version; cannot resume (run without --resume to start over, or give another --out)',
      where,
    );
  }
  const shardText = (s: Shard | undefined): string => (s === undefined ? 'no shard' : `shard ${s.index}/${s.count}`);
  if (shardText(found.shard) !== shardText(manifest.shard)) {
    throw new InputError(`these results are ${shardText(found.shard)}, this run is ${shardText(manifest.shard)}; cannot resume`, where);
  }
  const n = await recoverResults(join(dir, 'results.jsonl'), indices, agg, ctx);
  if (n > indices.length) throw new InputError(`results.jsonl holds ${n} sessions, the plan only ${indices.length}; cannot resume`, where);
  return n;
}

/**
 * Where the batch starting at `remaining[next]` ends: after about `size` sessions, at the start of a unit of
 * `unit` sessions (a cdnSharing block is simulated together, so a batch holds whole blocks).
 */
function batchEnd(remaining: readonly number[], next: number, size: number, unit: number): number {
  let end = Math.min(remaining.length, next + size);
  while (end < remaining.length && (remaining[end] as number) % unit !== 0) end++;
  return end;
}

function inlineExecutor(ctx: RunContext): Executor {
  return {
    // setImmediate between batches lets the progress bar and signals through.
    run: (req) => new Promise((res, rej) => setImmediate(() => {
      try {
        res(runBatch(ctx, req));
      } catch (err) {
        rej(err);
      }
    })),
    close: async () => undefined,
  };
}

function poolExecutor(loaded: LoadedScenario, workers: number): Executor {
  const data: SweepWorkerData = { scenarioText: loaded.text, scenarioFile: loaded.file };
  const pool = new WorkerPool<BatchRequest, BatchResult>(workers, data, deserializeError);
  return { run: (req) => pool.run(req), close: () => pool.close() };
}
