import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aggregateByPolicy } from '../experiment/aggregate.js';
import { writeReport } from '../report/write-report.js';
import { sessionKey } from '../report/types.js';
import { VERSION } from '../version.js';
import type { LiveOutcome } from './run-live.js';

export interface LiveFiles {
  results: string;
  summary: string;
  timelines: string;
  report: string;
}

/**
 * Writes a live session as a results directory (the contract the simulator's runs follow): results.jsonl (one
 * row, profile `live`), summary.json (`kind: 'live'`, plus what the manifest held and every failover),
 * timelines.jsonl, and the HTML report rendered from them.
 */
export async function writeLiveResults(opts: { outDir: string; outcome: LiveOutcome; command: string; url: string }): Promise<LiveFiles> {
  const { outcome } = opts;
  const { timeline, telemetry, ...row } = outcome.result;
  await mkdir(opts.outDir, { recursive: true });
  const files: LiveFiles = {
    results: join(opts.outDir, 'results.jsonl'),
    summary: join(opts.outDir, 'summary.json'),
    timelines: join(opts.outDir, 'timelines.jsonl'),
    report: join(opts.outDir, 'index.html'),
  };
  await writeFile(files.results, JSON.stringify(row) + '\n');
  await writeFile(files.timelines, JSON.stringify({ key: sessionKey(row), timeline }) + '\n');
  // The player's telemetry batches, one per line, in the simulator's schema (src/player/telemetry.ts).
  await writeFile(join(opts.outDir, 'telemetry.jsonl'), (telemetry ?? []).map((b) => JSON.stringify(b) + '\n').join(''));
  const t = outcome.title;
  const summary = {
    abrlab: VERSION,
    kind: 'live',
    scenario: `live-${row.video}`,
    seed: row.seed,
    command: opts.command,
    sessions: 1,
    url: opts.url,
    title: {
      kind: t.kind,
      name: t.catalog.name,
      dynamic: t.dynamic,
      segmentCount: t.catalog.segmentCount,
      durationMs: t.catalog.durationMs,
      ladderKbps: t.catalog.representations.map((r) => r.bitrateKbps),
      notes: t.notes,
      ...(t.live === undefined ? {} : { live: t.live }),
    },
    wallMs: outcome.wallMs,
    failovers: outcome.failovers,
    // A live event at the edge: the simulator's live-event fields (src/sim/content/live-event.ts), clock times
    // from the session's start.
    ...(outcome.live === undefined ? {} : { live: outcome.live }),
    policies: aggregateByPolicy([row]),
  };
  await writeFile(files.summary, JSON.stringify(summary, null, 2) + '\n');
  await writeReport({ dir: opts.outDir });
  return files;
}
