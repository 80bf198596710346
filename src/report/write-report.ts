/**
 * The seam between whatever produced a results directory (`abrlab run`, `compare`, `ab`, `gate`, `live`) and the
 * report. A results directory holds:
 *
 * - `results.jsonl`: one `ReportSession` per line (SessionResult + optional variant, replicate, cost), in the
 *   run's deterministic order; `segments` may be empty.
 * - `summary.json`: at least `{abrlab, scenario, seed, command}` (plus the producer's own aggregates); `kind`
 *   says which command made it.
 * - `scenario.yaml` (optional): the scenario text as given, shown for reproducibility.
 * - `timelines.jsonl` (optional): `{key, timeline}` lines, `key` = `sessionKey(result)` (types.ts).
 * - `ab.json` (optional): the A/B analysis (src/experiment/ab-types.ts).
 *
 * `writeReport` reads them and writes `index.html` (and, in the full report, `results.csv` and `charts/*.svg`).
 * Callers that can recompute a session's timeline (the runner: the simulator is deterministic) pass
 * `resolveTimeline`; `abrlab report DIR` reads timelines.jsonl instead.
 */
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SessionResult, SessionResultWithTimeline, SessionTimeline } from '../qoe/types.js';
import { renderRunReport } from './run-report.js';
import { sessionKey, type ReportSession } from './types.js';

export interface WriteReportOptions {
  /** The results directory (read) and where the report goes (written). */
  dir: string;
  /** The timeline of a session the report wants to draw, when the directory does not hold it. */
  resolveTimeline?: (session: ReportSession) => Promise<SessionTimeline | undefined> | SessionTimeline | undefined;
  /** Most timelines drawn. Default 12. */
  maxTimelines?: number;
}

export interface WrittenReport {
  html: string;
}

/** Reads a results directory and writes its report. */
export async function writeReport(opts: WriteReportOptions): Promise<WrittenReport> {
  const summary = JSON.parse(await readFile(join(opts.dir, 'summary.json'), 'utf8')) as {
    abrlab: string;
    scenario: string;
    seed: number | string;
    command: string;
  };
  const scenarioText = await readFile(join(opts.dir, 'scenario.yaml'), 'utf8').catch(() => undefined);
  const stored = await readTimelines(join(opts.dir, 'timelines.jsonl'));
  const results: SessionResult[] = [];
  const timelines: SessionResultWithTimeline[] = [];
  const maxTimelines = opts.maxTimelines ?? 12;
  for await (const row of readJsonLines<ReportSession>(join(opts.dir, 'results.jsonl'))) {
    results.push({ ...row, segments: [] });
    if (timelines.length >= maxTimelines) continue;
    const timeline = row.timeline ?? stored.get(sessionKey(row)) ?? (await opts.resolveTimeline?.(row));
    if (timeline !== undefined) timelines.push({ ...row, segments: [], timeline });
  }
  const html = await renderRunReport({
    name: summary.scenario,
    version: summary.abrlab,
    command: summary.command,
    seed: summary.seed,
    ...(scenarioText === undefined ? {} : { scenarioText }),
    results,
    timelines,
  });
  const file = join(opts.dir, 'index.html');
  await writeFile(file, html);
  return { html: file };
}

async function readTimelines(file: string): Promise<Map<string, SessionTimeline>> {
  const map = new Map<string, SessionTimeline>();
  try {
    for await (const row of readJsonLines<{ key: string; timeline: SessionTimeline }>(file)) map.set(row.key, row.timeline);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return map;
}

/** Streams a JSONL file one parsed line at a time (blank lines skipped). */
export async function* readJsonLines<T>(file: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield JSON.parse(line) as T;
  }
}
