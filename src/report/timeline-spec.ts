/**
 * Vega-Lite spec of one session's timeline: link capacity and played bitrate as step lines (kbps) with stalls
 * and startup shaded and abandonment/seek/failover/error marks as vertical rules, above a second panel with the
 * buffer level (s). Pure: the spec embeds its (decimated) data; rendering is render-svg.ts's job.
 */
import type { TopLevelSpec } from 'vega-lite';
import { msToS } from '../core/units.js';
import type { SessionResultWithTimeline, SessionTimeline } from '../qoe/types.js';
import { decimatePolyline, decimateSteps, type TimeSeries } from './decimate.js';
import { formatFixed } from './format.js';
import { chartConfig } from './chart-theme.js';
import { CHART_COLORS, STALL_OPACITY, STARTUP_OPACITY } from './palette.js';

export { chartConfig };

type VConcatSpec = Extract<TopLevelSpec, { vconcat: unknown }>;
type LayeredPanel = Extract<VConcatSpec['vconcat'][number], { layer: unknown }>;
type Layer = LayeredPanel['layer'][number];

/**
 * Points kept per series. A 720 px panel shows at most a few points per pixel column, and M4 keeps four per bin,
 * so 2,000 points (500 bins) is finer than the pixels while keeping a chart's SVG near 100 KB.
 */
export const DEFAULT_MAX_POINTS_PER_SERIES = 2000;
export const TIMELINE_WIDTH_PX = 720;
export const RATE_PANEL_HEIGHT_PX = 200;
export const BUFFER_PANEL_HEIGHT_PX = 110;

export type TimelineMarkKind = SessionTimeline['marks'][number]['kind'];

/** The chart's data, in ms, after clipping to the session and decimation. */
export interface TimelineChartData {
  /** End of the drawn span: the last time any series, stall or mark refers to, ms. */
  endMs: number;
  /** Step function, ending with a point at `endMs` so its last step is drawn. */
  capacity: TimeSeries;
  /** Step function, ending at `endMs` like `capacity` (empty if nothing played). */
  played: TimeSeries;
  /** Polyline. */
  buffer: TimeSeries;
  stalls: { startMs: number; endMs: number }[];
  marks: { tMs: number; kind: TimelineMarkKind; label: string }[];
  playStartMs: number;
}

export interface TimelineSpecOptions {
  /** The policy's colour (palette.ts), used for its played bitrate and buffer lines. */
  color: string;
  maxPointsPerSeries?: number;
}

/** Last time anything in the timeline refers to, ms; the capacity trace's end if nothing else has a time. */
export function timelineEndMs(timeline: SessionTimeline): number {
  let endMs = Math.max(timeline.playStartMs, 0);
  const lastOf = (tMs: readonly number[]): number => tMs[tMs.length - 1] ?? 0;
  endMs = Math.max(endMs, lastOf(timeline.buffer.tMs), lastOf(timeline.played.tMs));
  for (const stall of timeline.stalls) endMs = Math.max(endMs, stall.endMs);
  for (const mark of timeline.marks) endMs = Math.max(endMs, mark.tMs);
  return endMs > 0 ? endMs : lastOf(timeline.capacity.tMs);
}

/**
 * A step function cut at `endMs`: the points before `endMs`, then one at `endMs` carrying the value in force
 * there (so the last step has a visible width). A looping trace can be much longer than the session; cutting
 * keeps the time axis on the session.
 */
export function clipStepsAt(series: { tMs: ArrayLike<number>; values: ArrayLike<number> }, endMs: number): TimeSeries {
  const tMs: number[] = [];
  const values: number[] = [];
  let valueAtEnd: number | undefined;
  for (let i = 0; i < series.tMs.length; i++) {
    const t = series.tMs[i];
    const v = series.values[i];
    if (t === undefined || v === undefined || t > endMs) break;
    valueAtEnd = v;
    if (t < endMs) {
      tMs.push(t);
      values.push(v);
    }
  }
  if (valueAtEnd !== undefined) {
    tMs.push(endMs);
    values.push(valueAtEnd);
  }
  return { tMs, values };
}

/** Clips every series to the session span and decimates it (decimate.ts). */
export function timelineChartData(
  timeline: SessionTimeline,
  maxPointsPerSeries: number = DEFAULT_MAX_POINTS_PER_SERIES,
): TimelineChartData {
  const endMs = timelineEndMs(timeline);
  const capacity = clipStepsAt({ tMs: timeline.capacity.tMs, values: timeline.capacity.kbps }, endMs);
  const played = clipStepsAt({ tMs: timeline.played.tMs, values: timeline.played.kbps }, endMs);
  return {
    endMs,
    capacity: decimateSteps(capacity, maxPointsPerSeries),
    played: decimateSteps(played, maxPointsPerSeries),
    buffer: decimatePolyline({ tMs: timeline.buffer.tMs, values: timeline.buffer.bufferMs }, maxPointsPerSeries),
    stalls: timeline.stalls.map((s) => ({ startMs: s.startMs, endMs: s.endMs })),
    marks: timeline.marks.map((m) => ({ tMs: m.tMs, kind: m.kind, label: m.label })),
    playStartMs: timeline.playStartMs,
  };
}

/** Legend entries in drawing order; only those present in a chart are listed. */
const LEGEND_ORDER = ['link capacity', 'played bitrate', 'startup', 'stall', 'abandon', 'seek', 'failover', 'error', 'title'];

/** Title line of a session chart. */
export function timelineTitle(session: { trace: string; policy: string }): string {
  return `${session.trace} — ${session.policy}`;
}

/** The Vega-Lite spec of one session's timeline chart. */
export function timelineSpec(session: SessionResultWithTimeline, options: TimelineSpecOptions): TopLevelSpec {
  const data = timelineChartData(session.timeline, options.maxPointsPerSeries ?? DEFAULT_MAX_POINTS_PER_SERIES);
  const toRows = (s: TimeSeries, key: string): Record<string, number>[] =>
    s.tMs.map((t, i) => ({ tS: msToS(t), [key]: s.values[i] ?? Number.NaN }));
  const stallRows = data.stalls.map((s) => ({ startS: msToS(s.startMs), endS: msToS(s.endMs) }));
  const startupRows = data.playStartMs > 0 ? [{ startS: 0, endS: msToS(data.playStartMs) }] : [];
  const markRows = data.marks.map((m) => ({ tS: msToS(m.tMs), kind: m.kind, label: m.label }));

  const present = new Set<string>(['link capacity']);
  if (data.played.tMs.length > 0) present.add('played bitrate');
  if (startupRows.length > 0) present.add('startup');
  if (stallRows.length > 0) present.add('stall');
  for (const m of markRows) present.add(m.kind);
  const domain = LEGEND_ORDER.filter((k) => present.has(k));
  const rangeOf: Record<string, string> = {
    'link capacity': CHART_COLORS.capacity,
    'played bitrate': options.color,
    startup: CHART_COLORS.startup,
    stall: CHART_COLORS.stall,
    abandon: CHART_COLORS.abandon,
    seek: CHART_COLORS.seek,
    failover: CHART_COLORS.failover,
    error: CHART_COLORS.error,
    title: CHART_COLORS.title,
  };
  const colorScale = { domain, range: domain.map((k) => rangeOf[k] ?? '#000000') };
  const xDomain = [0, msToS(data.endMs)];
  const x = {
    field: 'tS',
    type: 'quantitative',
    title: 'time (s)',
    scale: { domain: xDomain, nice: false },
  } as const;

  const bands = (name: string, rows: { startS: number; endS: number }[], kind: 'stall' | 'startup'): Layer => ({
    name,
    data: { values: rows },
    mark: { type: 'rect', opacity: kind === 'stall' ? STALL_OPACITY : STARTUP_OPACITY, clip: true },
    encoding: {
      x: { field: 'startS', type: 'quantitative', scale: { domain: xDomain, nice: false } },
      x2: { field: 'endS' },
      color: { datum: kind, scale: colorScale, legend: { title: null } },
    },
  });
  const rateLayers: Layer[] = [];
  if (startupRows.length > 0) rateLayers.push(bands('rate_startup', startupRows, 'startup'));
  if (stallRows.length > 0) rateLayers.push(bands('rate_stalls', stallRows, 'stall'));
  rateLayers.push({
    name: 'capacity',
    data: { values: toRows(data.capacity, 'kbps') },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, clip: true },
    encoding: {
      x,
      y: { field: 'kbps', type: 'quantitative', title: 'rate (kbps)' },
      color: { datum: 'link capacity', scale: colorScale, legend: { title: null } },
    },
  });
  if (data.played.tMs.length > 0) {
    rateLayers.push({
      name: 'played',
      data: { values: toRows(data.played, 'kbps') },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, clip: true },
      encoding: {
        x,
        y: { field: 'kbps', type: 'quantitative' },
        color: { datum: 'played bitrate', scale: colorScale, legend: { title: null } },
      },
    });
  }
  if (markRows.length > 0) {
    rateLayers.push({
      name: 'events',
      data: { values: markRows },
      mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5, clip: true },
      encoding: {
        x,
        color: { field: 'kind', type: 'nominal', scale: colorScale, legend: { title: null } },
        description: { field: 'label', type: 'nominal' },
      },
    });
  }

  const bufferLayers: Layer[] = [];
  if (stallRows.length > 0) {
    bufferLayers.push({
      name: 'buffer_stalls',
      data: { values: stallRows },
      mark: { type: 'rect', opacity: STALL_OPACITY, color: CHART_COLORS.stall, clip: true },
      encoding: {
        x: { field: 'startS', type: 'quantitative', scale: { domain: xDomain, nice: false } },
        x2: { field: 'endS' },
      },
    });
  }
  bufferLayers.push({
    name: 'buffer',
    data: { values: toRows({ tMs: data.buffer.tMs, values: data.buffer.values.map(msToS) }, 'bufferS') },
    mark: { type: 'line', strokeWidth: 1.5, color: options.color, clip: true },
    encoding: { x, y: { field: 'bufferS', type: 'quantitative', title: 'buffer (s)' } },
  });

  const s = session.summary;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Timeline of trace ${session.trace} with policy ${session.policy}`,
    title: {
      text: timelineTitle(session),
      subtitle:
        `QoE ${formatFixed(s.qoe.reference, 1)} · startup ${formatFixed(s.startupMs, 0)} ms · ` +
        `${plural(s.rebufferCount, 'stall')} (${formatFixed(s.rebufferMs, 0)} ms) · ${formatFixed(s.avgBitrateKbps, 0)} kbps · ` +
        plural(s.switchCount, 'switch', 'switches'),
      anchor: 'start',
    },
    spacing: 12,
    vconcat: [
      { width: TIMELINE_WIDTH_PX, height: RATE_PANEL_HEIGHT_PX, layer: rateLayers },
      { width: TIMELINE_WIDTH_PX, height: BUFFER_PANEL_HEIGHT_PX, layer: bufferLayers },
    ],
    resolve: { scale: { x: 'shared' } },
    config: chartConfig(),
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
