/** Cost per streaming hour per group (bars in the group's colour), the figure a CDN bill is planned with. */
import type { TopLevelSpec } from 'vega-lite';
import { HALF_CHART_WIDTH_PX, VEGA_LITE_SCHEMA, chartConfig, groupColorScale, groupTitle } from '../chart-theme.js';

export interface CostSeries {
  label: string;
  color: string;
  usdPerStreamingHour: number;
}

export function costSpec(series: readonly CostSeries[]): TopLevelSpec {
  const rows = series.filter((s) => Number.isFinite(s.usdPerStreamingHour)).map((s) => ({ group: s.label, usd: s.usdPerStreamingHour }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Delivery cost per streaming hour per policy',
    title: { text: 'Cost per streaming hour', subtitle: 'Total delivery cost / total play time' },
    width: HALF_CHART_WIDTH_PX + 120,
    height: { step: 26 },
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'group', type: 'nominal', title: null, sort: rows.map((r) => r.group) },
      x: { field: 'usd', type: 'quantitative', title: 'cost (US$ per streaming hour)' },
      color: { field: 'group', type: 'nominal', scale: groupColorScale(series), legend: null },
      tooltip: [
        { field: 'group', type: 'nominal', title: groupTitle(series) },
        { field: 'usd', type: 'quantitative', title: 'US$ / hour', format: '.4f' },
      ],
    },
    config: chartConfig(),
  };
}
