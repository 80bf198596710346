import { mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { resolvePolicyFactory } from '../abr/load-policy.js';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import type { Trace } from '../net/trace.js';
import { loadCatalogFile } from '../origin/load-catalog.js';
import type { SessionResult, SessionResultWithTimeline } from '../qoe/types.js';
import { simulateSession } from '../sim/simulate.js';
import { VERSION } from '../version.js';
import { sessionKey } from '../report/types.js';
import { aggregateByPolicy, type PolicyAggregate } from './aggregate.js';
import { loadScenarioTraces } from './trace-set.js';
import type { LoadedScenario } from './scenario.js';

export interface RunOutcome {
  outDir: string;
  sessions: number;
  aggregates: PolicyAggregate[];
  files: { results: string; summary: string; report: string };
}

/**
 * Runs every trace × policy session of a scenario, in a fixed order, and writes results.jsonl (one session per
 * line, streamed), summary.json (per-policy distributions) and index.html. Sequential for now; the experiment
 * issue adds the worker pool, shards and resume.
 */
export async function runScenario(loaded: LoadedScenario, opts: { outDir: string; command: string; onProgress?: (done: number, total: number) => void }): Promise<RunOutcome> {
  const { scenario } = loaded;
  const videoPath = scenario.video ?? scenario.videos?.[0];
  if (videoPath === undefined) throw new InputError('give video or videos', { file: loaded.file, field: 'video' });
  const [catalog, traces, policies] = await Promise.all([
    loadCatalogFile(loaded.resolvePath(videoPath)),
    loadScenarioTraces(loaded),
    Promise.all(
      scenario.policies.map(async (entry) => {
        const spec = typeof entry === 'string' ? { name: entry, params: {} } : entry;
        const path = /[\\/]|\.(m?[jt]s)$/.test(spec.name) ? loaded.resolvePath(spec.name) : spec.name;
        const resolved = await resolvePolicyFactory(path);
        const label = typeof entry === 'string' ? resolved.name : (entry.label ?? resolved.name);
        return { label, factory: resolved.factory, params: spec.params };
      }),
    ),
  ]);

  await mkdir(opts.outDir, { recursive: true });
  const files = {
    results: join(opts.outDir, 'results.jsonl'),
    summary: join(opts.outDir, 'summary.json'),
    report: join(opts.outDir, 'index.html'),
  };
  const out = createWriteStream(files.results);
  const results: SessionResult[] = [];
  const timelines: SessionResultWithTimeline[] = [];
  const total = traces.length * policies.length;
  const root = createRng(scenario.seed);
  let done = 0;
  for (const trace of traces) {
    for (const policy of policies) {
      const result = runOne(trace, policy, scenario, catalog, root.derive(`${trace.name}/${policy.label}`).int(2 ** 31));
      const { timeline, ...rest } = result;
      const row: SessionResult = { ...rest, policy: policy.label };
      results.push({ ...row, segments: [] });
      if (timelines.length < scenario.report.timelines) timelines.push({ ...row, timeline });
      if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      opts.onProgress?.(++done, total);
    }
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));

  const aggregates = aggregateByPolicy(results);
  const summary = {
    abrlab: VERSION,
    scenario: scenario.name,
    seed: scenario.seed,
    command: opts.command,
    video: catalog.name,
    traces: traces.map((t) => t.name),
    sessions: results.length,
    policies: aggregates,
  };
  await writeFile(files.summary, JSON.stringify(summary, null, 2) + '\n');
  await writeFile(join(opts.outDir, 'scenario.yaml'), loaded.text);
  const byKey = new Map(timelines.map((t) => [sessionKey(t), t.timeline]));
  const { writeReport } = await import('../report/write-report.js');
  await writeReport({ dir: opts.outDir, resolveTimeline: (s) => byKey.get(sessionKey(s)) });
  return { outDir: opts.outDir, sessions: results.length, aggregates, files };
}

function runOne(
  trace: Trace,
  policy: { factory: (p?: Record<string, unknown>) => import('../abr/types.js').AbrPolicy; params: Record<string, unknown> },
  scenario: LoadedScenario['scenario'],
  catalog: Awaited<ReturnType<typeof loadCatalogFile>>,
  seed: number,
): SessionResultWithTimeline {
  return simulateSession({
    trace,
    catalog,
    policy: policy.factory(policy.params),
    seed,
    ...(scenario.player === undefined ? {} : { player: scenario.player }),
    ...(scenario.network.latencyMs === undefined ? {} : { latencyMs: scenario.network.latencyMs }),
    originLatencyMs: scenario.network.originLatencyMs,
  });
}
