/**
 * The HTML report of `abrlab run` (reports/<name>/index.html): how it was produced, a per-policy summary table
 * and one timeline chart per sampled session. Charts are Vega-Lite specs (timeline-spec.ts) rendered to inline
 * SVG in Node (render-svg.ts), so the file is self-contained and works offline.
 */
import type { SessionResult, SessionResultWithTimeline } from '../qoe/types.js';
import { chartFigureHtml, metaListHtml, pageHtml, preformattedDetailsHtml, summaryTableHtml } from './html.js';
import { escapeHtml } from './escape.js';
import { policyColors } from './palette.js';
import { summarizeByPolicy } from './policy-summary.js';
import { renderSpecToSvg } from './render-svg.js';
import { DEFAULT_MAX_POINTS_PER_SERIES, timelineSpec, timelineTitle } from './timeline-spec.js';

export interface RunReportInput {
  /** Scenario name. */
  name: string;
  /** abrlab version. */
  version: string;
  /** Command line that produced the results. */
  command: string;
  seed: number | string;
  /** The scenario file as given, shown for reproducibility. */
  scenarioText?: string;
  /** Every session; `segments` may be empty arrays (the table uses only `summary`). */
  results: SessionResult[];
  /** A sample of sessions whose timelines are drawn, one chart each, in this order. */
  timelines: SessionResultWithTimeline[];
  /** Points kept per chart series (decimate.ts); default `DEFAULT_MAX_POINTS_PER_SERIES`. */
  maxPointsPerSeries?: number;
}

/** Renders the report page. Deterministic: the same input gives the same bytes (no clock, no locale). */
export async function renderRunReport(input: RunReportInput): Promise<string> {
  const colors = policyColors([...input.results, ...input.timelines].map((r) => r.policy));
  const rows = summarizeByPolicy(input.results);
  const traces = new Set(input.results.map((r) => r.trace));
  const maxPoints = input.maxPointsPerSeries ?? DEFAULT_MAX_POINTS_PER_SERIES;

  const figures: string[] = [];
  for (const [k, session] of input.timelines.entries()) {
    const id = `timeline-${k + 1}`;
    const spec = timelineSpec(session, {
      color: colors.get(session.policy) ?? '#000000',
      maxPointsPerSeries: maxPoints,
    });
    const svg = await renderSpecToSvg(spec, id);
    const caption = `${timelineTitle(session)} (video ${session.video}, seed ${String(session.seed)}, profile ${session.profile})`;
    figures.push(chartFigureHtml({ id, svg, caption }));
  }

  const parts = [
    `<header>\n<h1>${escapeHtml(input.name)}</h1>`,
    metaListHtml([
      { label: 'Command', value: input.command, code: true },
      { label: 'abrlab version', value: input.version },
      { label: 'Seed', value: String(input.seed) },
      {
        label: 'Sessions',
        value: `${input.results.length} (${rows.length} policies × ${traces.size} traces)`,
      },
    ]),
    ...(input.scenarioText !== undefined ? [preformattedDetailsHtml('Scenario file', input.scenarioText)] : []),
    '</header>',
    '<section id="summary">\n<h2>Summary by policy</h2>',
    rows.length > 0 ? summaryTableHtml(rows, colors) : '<p class="note">No sessions.</p>',
    '</section>',
    '<section id="timelines">\n<h2>Session timelines</h2>',
    `<p class="note">${escapeHtml(timelinesNote(input.timelines.length, input.results.length))}</p>`,
    ...figures,
    '</section>',
  ];
  return pageHtml({
    title: `abrlab run: ${input.name}`,
    generator: `abrlab ${input.version}`,
    bodyHtml: parts.join('\n'),
  });
}

function timelinesNote(drawn: number, total: number): string {
  if (drawn === 0) return 'No session timelines were kept for this run.';
  return (
    `${drawn} of ${total} sessions drawn. Top: link capacity and played bitrate (kbps), startup and stalls ` +
    'shaded, abandonments, seeks and failovers as dashed lines. Bottom: buffer level (s).'
  );
}
