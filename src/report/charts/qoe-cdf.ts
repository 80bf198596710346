/**
 * QoE CDF per group: for each QoE value, the fraction of sessions at or below it. A curve further right is
 * better; where curves cross, one policy trades its worst sessions for its typical ones. Data: the accumulator's
 * CDF points (exact steps, or quantiles of the sketch), so the chart's size does not grow with the run.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_WIDTH_PX, VEGA_LITE_SCHEMA, chartConfig, groupColorScale, groupTitle } from '../chart-theme.js';

export interface CdfSeries {
  label: string;
  color: string;
  cdf: readonly { value: number; fraction: number }[];
}

/** Rows drawn: each series starts at (its minimum, 0) so the first step rises from the axis. */
export function qoeCdfRows(series: readonly CdfSeries[]): { group: string; qoe: number; fraction: number }[] {
  const rows: { group: string; qoe: number; fraction: number }[] = [];
  for (const s of series) {
    const first = s.cdf[0];
    if (first === undefined) continue;
    if (first.fraction > 0) rows.push({ group: s.label, qoe: first.value, fraction: 0 });
    for (const p of s.cdf) rows.push({ group: s.label, qoe: p.value, fraction: p.fraction });
  }
  return rows;
}

export function qoeCdfSpec(series: readonly CdfSeries[]): TopLevelSpec {
  const rows = qoeCdfRows(series);
  const inRange = rows.every((r) => r.qoe >= 0 && r.qoe <= 100);
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Cumulative distribution of the reference QoE per policy',
    title: { text: 'QoE distribution', subtitle: 'Fraction of sessions with QoE at or below x; further right is better' },
    width: CHART_WIDTH_PX,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, clip: true },
    encoding: {
      x: {
        field: 'qoe',
        type: 'quantitative',
        title: 'QoE (reference composite, 0–100)',
        scale: inRange ? { domain: [0, 100], nice: false } : { zero: false },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'sessions at or below (%)', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'group', type: 'nominal', scale: groupColorScale(series), legend: { title: groupTitle(series), symbolType: 'stroke', symbolStrokeWidth: 3 } },
      tooltip: [
        { field: 'group', type: 'nominal', title: groupTitle(series) },
        { field: 'qoe', type: 'quantitative', title: 'QoE', format: '.2f' },
        { field: 'fraction', type: 'quantitative', title: 'at or below', format: '.1%' },
      ],
    },
    config: chartConfig(),
  };
}
