/**
 * The trade-off view: average bitrate against rebuffer ratio, one small dot per sampled session and a large
 * marker with 95 % interval whiskers at each group's mean (Pensieve, Mao et al., SIGCOMM 2017, Fig. 9 plots
 * the same two axes). Up and left is better. The rebuffer axis is symlog: most sessions never stall, and a
 * linear axis would squash them all onto zero next to a few very bad sessions.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_WIDTH_PX, VEGA_LITE_SCHEMA, chartConfig, groupColorScale, groupTitle } from '../chart-theme.js';
import type { MetricSummary, ScatterPoint } from '../report-data.js';

export interface ScatterSeries {
  label: string;
  color: string;
  points: readonly ScatterPoint[];
  bitrate: MetricSummary;
  rebuffer: MetricSummary;
}

/** Dots drawn in all, shared among the groups: enough to show the cloud, small enough to stay a light SVG. */
export const SCATTER_TOTAL_POINTS = 3000;

export function tradeoffScatterSpec(series: readonly ScatterSeries[], options: { interactive?: boolean } = {}): TopLevelSpec {
  const perGroup = Math.min(
    Math.max(100, Math.floor(SCATTER_TOTAL_POINTS / Math.max(1, series.length))),
    Math.max(0, ...series.map((s) => s.points.length)),
  );
  const dots = series.flatMap((s) =>
    s.points.slice(0, perGroup).map((p) => ({ group: s.label, trace: p.trace, kbps: p.avgBitrateKbps, rebufferPct: p.rebufferRatioPct, qoe: p.qoe })),
  );
  const means = series.map((s) => ({
    group: s.label,
    kbps: s.bitrate.mean,
    kbpsLow: s.bitrate.meanLow,
    kbpsHigh: s.bitrate.meanHigh,
    rebufferPct: s.rebuffer.mean,
    rebufferLow: Math.max(0, s.rebuffer.meanLow),
    rebufferHigh: s.rebuffer.meanHigh,
  }));
  const scales = groupColorScale(series);
  // A few hundred dots are drawn bold; thousands translucent, so that density shows where they overlap.
  const sparse = dots.length < 300;
  const x = { field: 'rebufferPct', type: 'quantitative', title: 'rebuffer ratio (%, symlog scale)', scale: { type: 'symlog', constant: 0.1 }, axis: { labelOverlap: 'greedy', labelSeparation: 6 } } as const;
  const y = { field: 'kbps', type: 'quantitative', title: 'average bitrate (kbps)', scale: { zero: false } } as const;
  const color = { field: 'group', type: 'nominal', scale: scales, legend: { title: groupTitle(series) } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Average bitrate against rebuffer ratio per session, with group means',
    title: { text: 'Bitrate vs rebuffering', subtitle: `Dots: up to ${perGroup} sampled sessions per policy; large markers: means with 95 % t intervals. Up and left is better` },
    width: CHART_WIDTH_PX,
    height: 340,
    layer: [
      {
        name: 'sessions',
        data: { values: dots },
        mark: { type: 'circle', size: sparse ? 36 : 16, opacity: sparse ? 0.7 : 0.35, clip: true },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'group', type: 'nominal', title: groupTitle(series) },
            { field: 'trace', type: 'nominal' },
            { field: 'kbps', type: 'quantitative', title: 'avg bitrate (kbps)', format: '.0f' },
            { field: 'rebufferPct', type: 'quantitative', title: 'rebuffer ratio (%)', format: '.2f' },
            { field: 'qoe', type: 'quantitative', title: 'QoE', format: '.1f' },
          ],
        },
        ...(options.interactive === true ? { params: [{ name: 'zoom', select: 'interval', bind: 'scales' }] } : {}),
      },
      {
        name: 'mean_x_ci',
        data: { values: means },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x: { ...x, field: 'rebufferLow' }, x2: { field: 'rebufferHigh' }, y, color },
      },
      {
        name: 'mean_y_ci',
        data: { values: means },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, y: { ...y, field: 'kbpsLow' }, y2: { field: 'kbpsHigh' }, color },
      },
      {
        name: 'means',
        data: { values: means },
        mark: { type: 'point', shape: 'diamond', size: 160, filled: true, opacity: 1, stroke: '#ffffff', strokeWidth: 1.5 },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'group', type: 'nominal', title: groupTitle(series) },
            { field: 'kbps', type: 'quantitative', title: 'mean bitrate (kbps)', format: '.0f' },
            { field: 'rebufferPct', type: 'quantitative', title: 'mean rebuffer ratio (%)', format: '.2f' },
          ],
        },
      },
    ],
    config: chartConfig(),
  };
}
