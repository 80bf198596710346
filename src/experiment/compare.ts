/**
 * `abrlab compare`: every trace × policy session of one video under one simulation model (the fluid model, or
 * the `pensieve` / `sabre` compatibility profile), then per-policy means with 95 % Student-t confidence
 * intervals. Writes the results directory of the shared contract (src/report/write-report.ts): results.jsonl
 * (one session per line, with the profile's `compat` block), summary.json, timelines.jsonl (fluid model only)
 * and the HTML report.
 *
 * Sessions run through the same entry points as `abrlab sim` (src/cli/sim-run.ts), with each input read once:
 * `simulateSession` for the fluid model, `runPensieveSession` (a fresh policy per trace: the "reset" variant of
 * Pensieve's robust MPC logs) and `runSabreSession`. Order is trace-major (traces sorted by path, then policies
 * as given), so the files are the same on every machine.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { resolvePolicyFactory } from '../abr/load-policy.js';
import type { AbrPolicyFactory } from '../abr/types.js';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { loadTraceFile } from '../net/formats/index.js';
import type { Trace } from '../net/trace.js';
import { loadCatalogFile } from '../origin/load-catalog.js';
import type { SessionResult, SessionTimeline } from '../qoe/types.js';
import { meanInterval } from '../report/stats/intervals.js';
import { RunningMoments } from '../report/stats/moments.js';
import { sessionKey } from '../report/types.js';
import { VERSION } from '../version.js';
import { aggregateByPolicy, type PolicyAggregate } from './aggregate.js';
import { expandTracePaths } from './expand.js';

export type CompareProfile = 'fluid' | 'pensieve' | 'sabre';

export interface CompareOptions {
  /** `--traces`: a directory, a glob or a file, as given (errors quote it). */
  traces: string;
  /** `--video`: abrlab catalog JSON (fluid), Pensieve's `video_size_N` directory, or Sabre's movie JSON. */
  video: string;
  /** `--policies`: built-in names or module paths, in table order. */
  policies: readonly string[];
  profile: CompareProfile;
  seed: number;
  outDir: string;
  /** The command line, recorded in summary.json. */
  command: string;
  /** Sabre's own flags for the sabre profile (e.g. "-ao -noibr"). */
  sabreFlags?: string;
  /** Timelines kept for the report's drill-down (fluid model). Default 12. */
  maxTimelines?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A mean with its 95 % confidence interval (Student t on the per-session values; NaN bounds below 2 sessions). */
export interface MeanCi {
  mean: number;
  low: number;
  high: number;
  /** (high − low) / 2. */
  halfWidth: number;
}

/** The metrics of the comparison table, each read from one session. */
export const COMPARE_METRICS = ['qoe', 'avgBitrateKbps', 'rebufferMs', 'switchCount', 'startupMs'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export interface ComparePolicySummary {
  policy: string;
  sessions: number;
  metrics: Record<CompareMetric, MeanCi>;
}

export interface CompareOutcome {
  outDir: string;
  profile: CompareProfile;
  /** What `qoe` is under this profile (see `QOE_OF`). */
  qoeMetric: string;
  traces: string[];
  sessions: number;
  policies: ComparePolicySummary[];
  files: { results: string; summary: string; report: string };
}

/**
 * Each model's natural score: the reference composite for the fluid model, Pensieve's total reward (QoE_lin
 * over all chunks) and Sabre's time-average score.
 */
export const QOE_OF: Record<CompareProfile, { name: string; read: (r: SessionResult) => number }> = {
  fluid: { name: 'summary.qoe.reference', read: (r) => r.summary.qoe.reference },
  pensieve: { name: 'compat.totalReward', read: (r) => (r.compat?.['totalReward'] as number | undefined) ?? Number.NaN },
  sabre: {
    name: 'compat.metrics.time_average_score',
    read: (r) => (r.compat?.['metrics'] as Record<string, number> | undefined)?.['time_average_score'] ?? Number.NaN,
  },
};

const READ: Record<Exclude<CompareMetric, 'qoe'>, (r: SessionResult) => number> = {
  avgBitrateKbps: (r) => r.summary.avgBitrateKbps,
  rebufferMs: (r) => r.summary.rebufferMs,
  switchCount: (r) => r.summary.switchCount,
  startupMs: (r) => r.summary.startupMs,
};

/** Mean and 95 % Student-t interval of a list of per-session values. */
export function meanCi(values: readonly number[]): MeanCi {
  const m = new RunningMoments();
  for (const v of values) m.add(v);
  const { low, high } = meanInterval({ mean: m.mean, variance: m.variance(), count: m.count });
  return { mean: m.count > 0 ? m.mean : Number.NaN, low, high, halfWidth: (high - low) / 2 };
}

/** Per-policy means and intervals, policies in first-seen order. */
export function summarizeByPolicy(results: readonly SessionResult[], profile: CompareProfile): ComparePolicySummary[] {
  const groups = new Map<string, SessionResult[]>();
  for (const r of results) {
    const list = groups.get(r.policy);
    if (list === undefined) groups.set(r.policy, [r]);
    else list.push(r);
  }
  return [...groups].map(([policy, list]) => {
    const metrics = { qoe: meanCi(list.map(QOE_OF[profile].read)) } as Record<CompareMetric, MeanCi>;
    for (const [name, read] of Object.entries(READ)) metrics[name as CompareMetric] = meanCi(list.map(read));
    return { policy, sessions: list.length, metrics };
  });
}

/** Splits `--policies a,b,./mine.ts`; empty or repeated entries are input errors. */
export function parsePolicyList(text: string): string[] {
  const list = text.split(',').map((s) => s.trim());
  if (list.length === 0 || list.some((s) => s === '')) throw new InputError(`--policies "${text}": give a comma-separated list of policy names or module paths, without empty entries`);
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p)) throw new InputError(`--policies "${text}": "${p}" is listed twice`);
    seen.add(p);
  }
  return list;
}

interface ResolvedPolicy {
  spec: string;
  label: string;
  builtin: boolean;
  factory: AbrPolicyFactory;
}

/** One session runner per profile, with the video (and anything else shared) read once. */
type RunOne = (tracePath: string, policy: ResolvedPolicy, seed: number) => SessionResult & { timeline?: unknown };

async function sessionRunner(opts: CompareOptions): Promise<RunOne> {
  if (opts.profile === 'pensieve') {
    const { runPensieveSession, readPensieveVideo, parsePensieveConfig } = await import('../profiles/pensieve/index.js');
    const video = readPensieveVideo(opts.video, parsePensieveConfig({}).bitratesKbps.length);
    return (trace, policy) => runPensieveSession({ trace, video, policy: policy.builtin ? policy.spec : policy.factory });
  }
  if (opts.profile === 'sabre') {
    const sabre = await import('../profiles/sabre/index.js');
    const movie = sabre.readSabreMovieFile(opts.video);
    const options = opts.sabreFlags === undefined ? undefined : sabre.parseSabreFlags(opts.sabreFlags).options;
    return (trace, policy) =>
      sabre.runSabreSession({
        movie,
        network: sabre.readSabreNetworkFile(trace),
        policy: policy.builtin ? policy.spec : policy.factory({}),
        ...(options === undefined ? {} : { options }),
        traceName: basename(trace),
        movieName: basename(opts.video),
      });
  }
  const { simulateSession } = await import('../sim/simulate.js');
  const catalog = await loadCatalogFile(opts.video);
  const traces = new Map(await Promise.all((await listTraces(opts.traces)).map(async (f) => [f, await loadTraceFile(f)] as const)));
  return (path, policy, seed) => simulateSession({ trace: traces.get(path) as Trace, catalog, policy: policy.factory({}), seed });
}

async function listTraces(spec: string): Promise<string[]> {
  return expandTracePaths([spec], '--traces').catch((err: unknown) => {
    if (err instanceof InputError) throw new InputError(`--traces "${spec}" matches no file (give a directory, a glob or a file)`);
    throw err;
  });
}

async function resolvePolicies(specs: readonly string[]): Promise<ResolvedPolicy[]> {
  const out: ResolvedPolicy[] = [];
  for (const spec of specs) {
    const r = await resolvePolicyFactory(spec);
    const builtin = r.name === spec;
    const label = builtin ? spec : r.name;
    const clash = out.find((p) => p.label === label);
    if (clash !== undefined) throw new InputError(`--policies: "${spec}" and "${clash.spec}" are both named "${label}"; their rows would merge`);
    out.push({ spec, label, builtin, factory: r.factory });
  }
  return out;
}

/** Runs the comparison and writes its results directory (see the module comment). */
export async function runCompare(opts: CompareOptions): Promise<CompareOutcome> {
  if (opts.policies.length === 0) throw new InputError('--policies: give at least one policy');
  const tracePaths = await listTraces(opts.traces);
  const policies = await resolvePolicies(opts.policies);
  const runOne = await sessionRunner(opts);

  await mkdir(opts.outDir, { recursive: true });
  const files = {
    results: join(opts.outDir, 'results.jsonl'),
    summary: join(opts.outDir, 'summary.json'),
    report: join(opts.outDir, 'index.html'),
  };
  const results: SessionResult[] = [];
  const timelines: string[] = [];
  // Where each session came from, so the report can re-simulate the ones it draws (the model is deterministic).
  const traceOf = new Map<string, string>();
  const maxTimelines = opts.maxTimelines ?? 12;
  const root = createRng(opts.seed);
  const total = tracePaths.length * policies.length;
  const out = createWriteStream(files.results);
  try {
    for (const path of tracePaths) {
      // One seed per trace, shared by every policy: the comparison is paired (common random numbers).
      const seed = root.derive(`trace:${basename(path)}`).int(2 ** 31);
      for (const policy of policies) {
        const { timeline, ...result } = runOne(path, policy, seed);
        const row: SessionResult = { ...result, policy: policy.label };
        traceOf.set(row.trace, path);
        if (timeline !== undefined && timelines.length < maxTimelines) timelines.push(JSON.stringify({ key: sessionKey(row), timeline }));
        results.push({ ...row, segments: [] });
        if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
        opts.onProgress?.(results.length, total);
      }
    }
  } finally {
    await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  }
  if (timelines.length > 0) await writeFile(join(opts.outDir, 'timelines.jsonl'), timelines.join('\n') + '\n');

  const summaries = summarizeByPolicy(results, opts.profile);
  const aggregates: PolicyAggregate[] = aggregateByPolicy(results);
  const summary = {
    abrlab: VERSION,
    kind: 'compare',
    scenario: `compare ${basename(opts.traces)} (${opts.profile})`,
    seed: opts.seed,
    command: opts.command,
    sessions: results.length,
    profile: opts.profile,
    qoeMetric: QOE_OF[opts.profile].name,
    confidenceLevel: 0.95,
    video: opts.video,
    traces: tracePaths.map((p) => basename(p)),
    compare: summaries,
    policies: aggregates,
  };
  await writeFile(files.summary, JSON.stringify(summary, null, 2) + '\n');
  const { writeReport } = await import('../report/write-report.js');
  const policyOf = new Map(policies.map((p) => [p.label, p]));
  const report = await writeReport({
    dir: opts.outDir,
    maxTimelines,
    resolveTimeline: (s) => {
      const path = traceOf.get(s.trace);
      const policy = policyOf.get(s.policy);
      if (path === undefined || policy === undefined) return undefined;
      return runOne(path, policy, Number(s.seed)).timeline as SessionTimeline | undefined;
    },
  });
  return {
    outDir: opts.outDir,
    profile: opts.profile,
    qoeMetric: QOE_OF[opts.profile].name,
    traces: summary.traces,
    sessions: results.length,
    policies: summaries,
    files: { ...files, report: report.html },
  };
}
