/**
 * Switch-count histogram: the share of each group's sessions per number of representation switches, bars side
 * by side. Shares rather than counts, so groups of different sizes compare. Above `MAX_BINS` distinct counts,
 * counts are binned by a whole-number width.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_WIDTH_PX, VEGA_LITE_SCHEMA, chartConfig, groupColorScale, groupTitle } from '../chart-theme.js';

export const MAX_BINS = 30;

export interface HistogramSeries {
  label: string;
  color: string;
  sessions: number;
  histogram: readonly { switches: number; sessions: number }[];
}

/** Bin width: 1 while the largest count fits in MAX_BINS bins, else ceil((max + 1) / MAX_BINS). */
export function switchBinWidth(series: readonly HistogramSeries[]): number {
  let max = 0;
  for (const s of series) for (const h of s.histogram) max = Math.max(max, h.switches);
  return max + 1 <= MAX_BINS ? 1 : Math.ceil((max + 1) / MAX_BINS);
}

export function switchHistogramRows(series: readonly HistogramSeries[]): { group: string; start: number; bin: string; share: number; sessions: number }[] {
  const width = switchBinWidth(series);
  const rows: { group: string; start: number; bin: string; share: number; sessions: number }[] = [];
  for (const s of series) {
    const bins = new Map<number, number>();
    for (const h of s.histogram) {
      const start = Math.floor(Math.max(0, h.switches) / width) * width;
      bins.set(start, (bins.get(start) ?? 0) + h.sessions);
    }
    for (const [start, count] of [...bins].sort((a, b) => a[0] - b[0])) {
      rows.push({
        group: s.label,
        start,
        bin: width === 1 ? String(start) : `${start}–${start + width - 1}`,
        share: s.sessions > 0 ? count / s.sessions : 0,
        sessions: count,
      });
    }
  }
  return rows;
}

export function switchHistogramSpec(series: readonly HistogramSeries[]): TopLevelSpec {
  const rows = switchHistogramRows(series);
  const bins = [...new Map(rows.map((r) => [r.start, r.bin])).entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Share of sessions per number of representation switches, per policy',
    title: { text: 'Bitrate switches per session', subtitle: 'Share of each policy’s sessions; fewer switches is smoother' },
    width: CHART_WIDTH_PX,
    height: 220,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'bin', type: 'ordinal', title: 'switches per session (count)', sort: bins, axis: { labelAngle: 0 } },
      xOffset: { field: 'group', type: 'nominal', scale: { domain: series.map((s) => s.label) } },
      y: { field: 'share', type: 'quantitative', title: 'sessions (%)', axis: { format: '.0%' } },
      color: { field: 'group', type: 'nominal', scale: groupColorScale(series), legend: { title: groupTitle(series) } },
      tooltip: [
        { field: 'group', type: 'nominal', title: groupTitle(series) },
        { field: 'bin', type: 'nominal', title: 'switches' },
        { field: 'sessions', type: 'quantitative', title: 'sessions' },
        { field: 'share', type: 'quantitative', title: 'share', format: '.1%' },
      ],
    },
    config: chartConfig(),
  };
}
