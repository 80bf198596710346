/**
 * Every chart of the full report, from the finished ReportData: the Vega-Lite spec (kept for the interactive
 * version and for anyone re-plotting), its inline SVG (rendered in Node), and the file name it is also saved
 * under (charts/<name>.svg, for papers). Colours come from one map, group → palette colour, so a policy has the
 * same colour in every chart and in the tables.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AbView } from './ab-view.js';
import { abForestSpec, perTraceSpec } from './charts/ab-charts.js';
import { costSpec } from './charts/cost-chart.js';
import { qoeCdfSpec } from './charts/qoe-cdf.js';
import { switchHistogramSpec } from './charts/switch-histogram.js';
import { tradeoffScatterSpec } from './charts/tradeoff-scatter.js';
import { formatFixed } from './format.js';
import type { GroupData, PickedSession, ReportData } from './report-data.js';
import { renderSpecToSvg } from './render-svg.js';
import { DEFAULT_MAX_POINTS_PER_SERIES, timelineSpec } from './timeline-spec.js';

export interface RenderedChart {
  /** File stem (charts/<name>.svg) and, prefixed with "chart-", the figure's element id. */
  name: string;
  caption: string;
  /** The spec of the static SVG and, unless `liveSpec` differs, of the interactive view. */
  spec: TopLevelSpec;
  /** The interactive view's spec when it adds what a static image cannot use (zoom and pan). */
  liveSpec?: TopLevelSpec;
  svg: string;
  /** Worth exploring interactively (tooltips, zoom): the page offers the live vega-embed version. */
  interactive: boolean;
}

export type PickKind = 'best' | 'median' | 'worst';
export const PICK_KINDS: readonly PickKind[] = ['best', 'median', 'worst'];

/** A drill-down session with the timeline to draw (absent: only its figures are listed). */
export interface DrillDown {
  group: GroupData;
  kind: PickKind;
  pick: PickedSession;
  chart?: RenderedChart;
}

/** A file-name-safe slug: lower-case letters, digits and dashes. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'group' : s.slice(0, 48);
}

async function render(name: string, spec: TopLevelSpec, caption: string, interactive: boolean, liveSpec?: TopLevelSpec): Promise<RenderedChart> {
  // Only the scatter has marks by the thousand; elsewhere each mark's aria-label is worth its bytes.
  const svg = compactSvg(await renderSpecToSvg(spec, `chart-${name}`), { dropMarkLabels: liveSpec !== undefined });
  return { name, caption, spec, ...(liveSpec !== undefined ? { liveSpec } : {}), svg, interactive };
}

/**
 * Shrinks Vega’s SVG without a visible change: coordinates cut to 0.01 px and, with `dropMarkLabels`, the
 * per-item aria-label of data marks dropped (Vega spells out every tooltip field of every dot, ~250 bytes each:
 * half the scatter plot's SVG). The chart keeps its own aria description; the interactive view shows the same
 * fields as tooltips.
 */
export function compactSvg(svg: string, opts: { dropMarkLabels?: boolean } = {}): string {
  const labelled = opts.dropMarkLabels === true
    ? svg.replace(/ aria-label="[^"]*"(?= role="graphics-symbol")/g, '').replace(/( role="graphics-symbol") aria-roledescription="[^"]*"/g, '$1')
    : svg;
  return labelled
    .replace(/ (d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_m, attr: string, value: string) => ` ${attr}="${value.replace(/(\d+\.\d{2})\d+/g, '$1')}"`);
}

/** The overview charts: QoE CDF, trade-off scatter, switch histogram, then cost when any group has one. */
export async function overviewCharts(data: ReportData, colors: ReadonlyMap<string, string>): Promise<RenderedChart[]> {
  const colorOf = (g: GroupData): string => colors.get(g.label) ?? '#000000';
  const groups = data.groups;
  const charts: RenderedChart[] = [];
  if (groups.length === 0) return charts;
  charts.push(
    await render(
      'qoe-cdf',
      qoeCdfSpec(groups.map((g) => ({ label: g.label, color: colorOf(g), cdf: g.qoeCdf }))),
      'Empirical CDF of the reference QoE per group: the fraction of sessions at or below each score. A curve further right is better.',
      true,
    ),
  );
  const scatter = groups.map((g) => ({ label: g.label, color: colorOf(g), points: g.scatter, bitrate: g.metrics.avgBitrateKbps, rebuffer: g.metrics.rebufferRatioPct }));
  charts.push(
    await render(
      'tradeoff',
      tradeoffScatterSpec(scatter),
      'Average bitrate against rebuffer ratio: a seeded uniform sample of sessions per group (dots) and each group’s mean with 95 % t intervals (diamonds and whiskers).',
      true,
      tradeoffScatterSpec(scatter, { interactive: true }),
    ),
  );
  charts.push(
    await render(
      'switches',
      switchHistogramSpec(groups.map((g) => ({ label: g.label, color: colorOf(g), sessions: g.sessions, histogram: g.switchHistogram }))),
      'Share of each group’s sessions by number of representation switches.',
      true,
    ),
  );
  return charts;
}

export async function costChart(data: ReportData, colors: ReadonlyMap<string, string>): Promise<RenderedChart | undefined> {
  const series = data.groups.flatMap((g) => (g.cost !== undefined ? [{ label: g.label, color: colors.get(g.label) ?? '#000000', usdPerStreamingHour: g.cost.usdPerStreamingHour }] : []));
  if (series.length === 0) return undefined;
  return render('cost', costSpec(series), 'Delivery cost per streaming hour: total cost over total play time of the sessions that carried a cost.', true);
}

/** The forest plot and per-trace chart of one comparison; `index` > 0 names the charts of later treatments apart. */
export async function abCharts(view: AbView, index = 0): Promise<RenderedChart[]> {
  const suffix = index === 0 ? '' : `-${index + 1}`;
  const charts = [await render(`ab-metrics${suffix}`, abForestSpec(view), `Relative difference ${view.treatment} − ${view.control} per metric, with intervals.`, true)];
  if (view.perTrace.length > 0) {
    charts.push(await render(`ab-per-trace${suffix}`, perTraceSpec(view), `Mean paired QoE difference per trace (${view.treatment} − ${view.control}).`, true));
  }
  return charts;
}

/**
 * The best, median and worst session of each group, with the timeline chart of those whose timeline is known.
 * `maxCharts` bounds the charts drawn (the rest are listed without one), in group order.
 */
export async function drillDowns(data: ReportData, colors: ReadonlyMap<string, string>, opts: { maxCharts: number; maxPointsPerSeries?: number }): Promise<DrillDown[]> {
  const out: DrillDown[] = [];
  let charts = 0;
  for (const [gi, group] of data.groups.entries()) {
    const seen = new Set<string>();
    for (const kind of PICK_KINDS) {
      const pick = group.picks[kind];
      if (pick === undefined || seen.has(pick.key)) continue;
      seen.add(pick.key);
      const entry: DrillDown = { group, kind, pick };
      // No timeline for the pick itself: draw the same pick among the sessions that arrived with one.
      const drawn = pick.timeline !== undefined ? pick : group.timelinePicks[kind];
      if (drawn?.timeline !== undefined && charts < opts.maxCharts) {
        charts++;
        // The group's index keeps names unique when two labels slug alike.
        const name = `timeline-${gi + 1}-${slug(group.label)}-${kind}`;
        const spec = timelineSpec(
          { ...drawn.session, segments: [], timeline: drawn.timeline },
          { color: colors.get(group.label) ?? '#000000', maxPointsPerSeries: opts.maxPointsPerSeries ?? DEFAULT_MAX_POINTS_PER_SERIES },
        );
        const which = drawn === pick ? `${capitalised(kind)} session` : `${capitalised(kind)} of the sessions that kept a timeline (the ${kind} session overall kept none)`;
        const caption =
          `${which} of ${group.label} by QoE (${formatFixed(drawn.qoe, 2)}; group median ${formatFixed(group.metrics.qoe.median, 2)}): ` +
          `trace ${drawn.session.trace}, video ${drawn.session.video}, seed ${String(drawn.session.seed)}, profile ${drawn.session.profile}.`;
        entry.chart = await render(name, spec, caption, false);
      }
      out.push(entry);
    }
  }
  return out;
}

function capitalised(text: string): string {
  return `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;
}
