/**
 * The seam between whatever produced a results directory (`abrlab run`, `compare`, `ab`, `gate`, `live`) and the
 * report. A results directory holds:
 *
 * - `results.jsonl`: one `ReportSession` per line (SessionResult + optional variant, replicate, cost), in the
 *   run's deterministic order; `segments` may be empty.
 * - `summary.json`: at least `{abrlab, scenario, seed, command}` (plus the producer's own aggregates); `kind`
 *   says which command made it. The producer owns it: the report reads it and never rewrites it.
 * - `scenario.yaml` (optional): the scenario text as given, shown for reproducibility.
 * - `timelines.jsonl` (optional): `{key, timeline}` lines, `key` = `sessionKey(result)` (types.ts).
 * - `ab.json` (optional): the A/B analysis (src/experiment/ab-types.ts).
 *
 * `writeReport` streams results.jsonl once through the `ReportAccumulator` (flat memory: 100,000 sessions cost
 * what 10 do) while writing `results.csv`, then draws the charts and writes `index.html` and `charts/*.svg`.
 * Sessions are paired for the A/B section when ab.json names the arms, or when the directory holds exactly two
 * groups on the same traces. The drill-down's timelines come from the picked session's own row, timelines.jsonl,
 * or `resolveTimeline` (callers that can recompute a session: the simulator is deterministic).
 */
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionTimeline } from '../qoe/types.js';
import { ReportAccumulator } from './accumulator.js';
import { abViewFromAbResult, abViewFromPaired, armGroupLabel, type AbView } from './ab-view.js';
import { csvHeader, csvRow } from './csv.js';
import { vegaBundlesHtml } from './embed.js';
import { policyColors } from './palette.js';
import { abCharts, costChart, drillDowns, overviewCharts, PICK_KINDS, type RenderedChart } from './report-charts.js';
import type { ReportData } from './report-data.js';
import { renderReportPage } from './report-page.js';
import { checkResultsDir, readAbResult, readOptional, readResults, readSummary, readTimelines } from './results-dir.js';
import { defaultGroupOf, type ReportSession } from './types.js';

export { readJsonLines } from './results-dir.js';

export interface WriteReportOptions {
  /** The results directory (read) and where the report goes (written). */
  dir: string;
  /** The timeline of a session the report wants to draw, when the directory does not hold it. */
  resolveTimeline?: (session: ReportSession) => Promise<SessionTimeline | undefined> | SessionTimeline | undefined;
  /** Most timelines drawn. Default 12 (best, median and worst of four groups). */
  maxTimelines?: number;
  /**
   * Embed the interactive vega-embed views (about 830 KB of inlined JavaScript). Default 'auto': yes unless
   * the page would then exceed `INTERACTIVE_BUDGET_BYTES`.
   */
  interactive?: boolean | 'auto';
}

export interface WrittenReport {
  /** Paths written. */
  html: string;
  csv: string;
  charts: string[];
  /** Size of index.html, bytes. */
  htmlBytes: number;
  sessions: number;
  interactive: boolean;
}

/** Above this page size the interactive layer is left out in 'auto' mode (the issue's ceiling is 10 MB). */
export const INTERACTIVE_BUDGET_BYTES = 8_000_000;

/** CSV text is written in chunks of about this many characters (one write per row would cost 100,000 calls). */
const CSV_CHUNK_CHARS = 1 << 16;

/** Reads a results directory and writes its report. A missing or malformed directory → InputError. */
export async function writeReport(opts: WriteReportOptions): Promise<WrittenReport> {
  const { dir } = opts;
  await checkResultsDir(dir);
  const [summary, scenarioText, ab] = await Promise.all([readSummary(dir), readOptional(join(dir, 'scenario.yaml')), readAbResult(dir)]);
  const notes: string[] = [];
  if (summary === undefined) notes.push('This directory has no summary.json: the command, seed and version below are unknown.');

  const comparison = ab?.comparisons[0];
  const abArms = ab !== undefined && comparison !== undefined ? { control: armGroupLabel(ab, comparison.control), treatment: armGroupLabel(ab, comparison.treatment) } : undefined;
  const pairing = abArms?.control !== undefined && abArms.treatment !== undefined && abArms.control !== abArms.treatment ? { control: abArms.control, treatment: abArms.treatment } : {};
  const acc = new ReportAccumulator({ seed: summary?.seed ?? 1, pairing });

  const csvFile = join(dir, 'results.csv');
  const { groupTraces } = await streamResults(dir, csvFile, acc);
  const data = acc.finish();
  const paired = keepPairing(data, groupTraces, ab !== undefined);

  await fillTimelines(data, dir, opts.resolveTimeline);
  const colors = policyColors(data.groups.map((g) => g.label));
  // ab.json: every treatment against the control, as the analysis computed it (the report's own pairing, of the
  // first comparison only, lends its per-trace intervals). Otherwise the report's own paired comparison.
  const views: AbView[] = [];
  if (ab !== undefined) {
    for (const [i, c] of ab.comparisons.entries()) views.push(abViewFromAbResult(ab, c, i === 0 ? paired?.perTrace : undefined));
  } else if (paired !== undefined && paired.pairs > 0) {
    views.push(abViewFromPaired(paired));
  }

  const overview = await overviewCharts(data, colors);
  const cost = await costChart(data, colors);
  const comparisons = [];
  for (const [i, view] of views.entries()) comparisons.push({ view, charts: await abCharts(view, i) });
  const abSection = views.length > 0 ? { comparisons, fromAbJson: ab !== undefined } : undefined;
  const drill = await drillDowns(data, colors, { maxCharts: opts.maxTimelines ?? 12 });
  const charts: RenderedChart[] = [...overview, ...comparisons.flatMap((c) => c.charts), ...(cost ? [cost] : []), ...drill.flatMap((d) => (d.chart ? [d.chart] : []))];
  const files = ['index.html', 'results.csv', 'summary.json', ...charts.map((c) => `charts/${c.name}.svg`)];

  const page = (bundlesHtml: string | undefined): string =>
    renderReportPage({
      meta: {
        name: summary?.scenario ?? 'results',
        ...(summary?.kind !== undefined ? { kind: summary.kind } : {}),
        version: summary?.abrlab ?? 'unknown',
        command: summary?.command ?? 'unknown',
        seed: summary?.seed ?? 'unknown',
        ...(scenarioText !== undefined ? { scenarioText } : {}),
        ...(summary?.description !== undefined ? { description: summary.description } : {}),
      },
      data,
      colors,
      overview,
      ...(cost !== undefined ? { cost } : {}),
      ...(abSection !== undefined ? { ab: abSection } : {}),
      drill,
      ...(bundlesHtml !== undefined ? { bundlesHtml } : {}),
      files,
      notes,
    });
  const mode = opts.interactive ?? 'auto';
  let html = mode === false ? page(undefined) : page(await vegaBundlesHtml());
  let interactive = mode !== false;
  if (mode === 'auto' && Buffer.byteLength(html) > INTERACTIVE_BUDGET_BYTES) {
    html = page(undefined);
    interactive = false;
  }

  const htmlFile = join(dir, 'index.html');
  await writeFile(htmlFile, html);
  const chartFiles = await writeChartFiles(join(dir, 'charts'), charts);
  return { html: htmlFile, csv: csvFile, charts: chartFiles, htmlBytes: Buffer.byteLength(html), sessions: data.sessions, interactive };
}

/** One pass over results.jsonl: feeds the accumulator, writes results.csv, notes each group's traces. */
async function streamResults(dir: string, csvFile: string, acc: ReportAccumulator): Promise<{ groupTraces: Map<string, Set<string>> }> {
  const groupTraces = new Map<string, Set<string>>();
  const out = createWriteStream(csvFile);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  try {
    let chunk = csvHeader();
    for await (const row of readResults(dir)) {
      const group = defaultGroupOf(row);
      acc.add(row);
      let traces = groupTraces.get(group);
      if (traces === undefined) groupTraces.set(group, (traces = new Set()));
      traces.add(row.trace);
      chunk += csvRow(row, group);
      if (chunk.length >= CSV_CHUNK_CHARS) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return { groupTraces };
}

/**
 * The paired data worth showing: the arms ab.json names, or (without ab.json) exactly two groups that ran on the
 * same traces; anything else compares groups that were not designed as a pair.
 */
function keepPairing(data: ReportData, groupTraces: ReadonlyMap<string, ReadonlySet<string>>, fromAbJson: boolean): ReportData['paired'] {
  const p = data.paired;
  if (p === undefined || p.treatment === '') return undefined;
  if (fromAbJson) return p;
  const sets = [...groupTraces.values()];
  const [a, b] = sets;
  if (sets.length !== 2 || a === undefined || b === undefined || a.size !== b.size) return undefined;
  for (const t of a) if (!b.has(t)) return undefined;
  return p;
}

/**
 * Gives each picked session its timeline: its own row's, else timelines.jsonl's, else `resolveTimeline`'s.
 * (When none is known, the drill-down draws the same pick among the sessions that carried one, and says so.)
 */
async function fillTimelines(data: ReportData, dir: string, resolve: WriteReportOptions['resolveTimeline']): Promise<void> {
  const wanted = new Set<string>();
  for (const g of data.groups) for (const k of PICK_KINDS) if (g.picks[k] !== undefined && g.picks[k]?.timeline === undefined) wanted.add(g.picks[k]?.key ?? '');
  const stored = await readTimelines(dir, wanted);
  const resolved: string[] = [];
  for (const g of data.groups) {
    for (const k of PICK_KINDS) {
      const pick = g.picks[k];
      if (pick === undefined || pick.timeline !== undefined) continue;
      let timeline = stored.get(pick.key);
      if (timeline === undefined && resolve !== undefined) {
        timeline = await resolve(pick.session);
        if (timeline !== undefined) {
          stored.set(pick.key, timeline);
          resolved.push(JSON.stringify({ key: pick.key, timeline }));
        }
      }
      if (timeline !== undefined) pick.timeline = timeline;
    }
  }
  // Kept beside the results, so `abrlab report DIR` later draws the same sessions without the inputs.
  if (resolved.length > 0) await appendFile(join(dir, 'timelines.jsonl'), resolved.join('\n') + '\n');
}

/** Writes charts/<name>.svg, replacing the .svg files of an earlier render (the chart set may have changed). */
async function writeChartFiles(chartsDir: string, charts: readonly RenderedChart[]): Promise<string[]> {
  await mkdir(chartsDir, { recursive: true });
  for (const f of await readdir(chartsDir)) if (f.endsWith('.svg')) await rm(join(chartsDir, f));
  const written: string[] = [];
  for (const c of charts) {
    const file = join(chartsDir, `${c.name}.svg`);
    await writeFile(file, `<?xml version="1.0" encoding="utf-8"?>\n${c.svg}\n`);
    written.push(file);
  }
  return written;
}
