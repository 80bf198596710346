/**
 * A/B charts. The forest plot puts every metric on one axis, the difference relative to the control mean (%),
 * with its 95 % interval; colour and shape say whether the treatment is better, worse or not clearly different
 * (shape too, so the verdict survives greyscale printing). The per-trace chart shows where the difference comes
 * from: one interval per trace when there are few, else the sorted profile of per-trace differences.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AbView } from '../ab-view.js';
import { CHART_WIDTH_PX, VEGA_LITE_SCHEMA, chartConfig } from '../chart-theme.js';
import type { PerTraceDiff } from '../report-data.js';

export const VERDICT_COLORS = { better: '#5e3c99', worse: '#e66101', unclear: '#8a8a8a' } as const;
const VERDICT_SHAPES = { better: 'triangle-up', worse: 'triangle-down', unclear: 'circle' } as const;
const verdictScale = { domain: ['better', 'worse', 'unclear'], range: [VERDICT_COLORS.better, VERDICT_COLORS.worse, VERDICT_COLORS.unclear] };
const shapeScale = { domain: ['better', 'worse', 'unclear'], range: [VERDICT_SHAPES.better, VERDICT_SHAPES.worse, VERDICT_SHAPES.unclear] };

/** Traces drawn one by one up to this many; beyond, the sorted profile. */
export const MAX_TRACES_LISTED = 40;
/** Points of the sorted profile. */
export const PROFILE_POINTS = 600;

export function abForestSpec(view: AbView): TopLevelSpec {
  const rows = view.metrics
    .filter((m) => Number.isFinite(m.relativePct))
    .map((m) => ({ metric: m.label, pct: m.relativePct, low: m.relativeLowPct, high: m.relativeHighPct, verdict: m.verdict }));
  const y = { field: 'metric', type: 'nominal', title: null, sort: rows.map((r) => r.metric) } as const;
  const x = { field: 'pct', type: 'quantitative', title: `difference ${view.treatment} − ${view.control} (% of control mean)` } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Relative paired difference per metric with 95 % intervals',
    title: { text: 'Treatment vs control, per metric', subtitle: 'Mean paired difference relative to the control mean, with 95 % intervals' },
    width: CHART_WIDTH_PX - 140,
    height: { step: 22 },
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', color: '#666666', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' }, color: { field: 'verdict', type: 'nominal', scale: verdictScale, legend: { title: 'treatment is' } } },
      },
      {
        mark: { type: 'point', filled: true, size: 80, opacity: 1 },
        encoding: {
          y,
          x,
          color: { field: 'verdict', type: 'nominal', scale: verdictScale, legend: { title: 'treatment is' } },
          shape: { field: 'verdict', type: 'nominal', scale: shapeScale, legend: { title: 'treatment is' } },
          tooltip: [
            { field: 'metric', type: 'nominal' },
            { field: 'pct', type: 'quantitative', title: 'difference (%)', format: '+.2f' },
            { field: 'low', type: 'quantitative', title: '95 % low (%)', format: '+.2f' },
            { field: 'high', type: 'quantitative', title: '95 % high (%)', format: '+.2f' },
          ],
        },
      },
    ],
    config: chartConfig(),
  };
}

/** Evenly spaced ranks of the sorted per-trace differences, first and last included. */
export function profileRows(perTrace: readonly PerTraceDiff[], points: number = PROFILE_POINTS): { rankPct: number; diff: number; trace: string }[] {
  const n = perTrace.length;
  if (n === 0) return [];
  const m = Math.min(n, Math.max(2, points));
  const rows: { rankPct: number; diff: number; trace: string }[] = [];
  for (let i = 0; i < m; i++) {
    const k = m === 1 ? 0 : Math.round((i * (n - 1)) / (m - 1));
    const t = perTrace[k];
    if (t !== undefined) rows.push({ rankPct: n === 1 ? 50 : (k / (n - 1)) * 100, diff: t.meanDiff, trace: t.trace });
  }
  return rows;
}

export function perTraceSpec(view: AbView): TopLevelSpec {
  const qoe = view.metrics.find((m) => m.label.startsWith('QoE ('));
  const meanRows = qoe !== undefined ? [{ mean: qoe.meanDiff, low: qoe.low, high: qoe.high }] : [];
  const diffTitle = `QoE difference ${view.treatment} − ${view.control} (points)`;
  const title = { text: 'Where the QoE difference comes from', subtitle: '' };
  if (view.perTrace.length <= MAX_TRACES_LISTED) {
    const rows = view.perTrace.map((t) => ({ trace: t.trace, diff: t.meanDiff, low: t.low, high: t.high, pairs: t.pairs, sign: t.meanDiff >= 0 ? 'up' : 'down' }));
    const y = { field: 'trace', type: 'nominal', title: null, sort: rows.map((r) => r.trace), axis: { labelLimit: 200 } } as const;
    title.subtitle = 'Per-trace mean paired difference, with 95 % intervals where a trace has replicates; the band is the overall mean and its interval';
    return {
      $schema: VEGA_LITE_SCHEMA,
      description: 'Per-trace paired QoE difference',
      title,
      width: CHART_WIDTH_PX - 200,
      height: { step: 16 },
      layer: [
        ...(meanRows.length > 0
          ? [
              { data: { values: meanRows }, mark: { type: 'rect' as const, color: '#999999', opacity: 0.18 }, encoding: { x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } } },
              { data: { values: meanRows }, mark: { type: 'rule' as const, color: '#555555' }, encoding: { x: { field: 'mean', type: 'quantitative' as const } } },
            ]
          : []),
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#666666', strokeDash: [3, 3] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
        { data: { values: rows }, mark: { type: 'rule', strokeWidth: 1.5, color: '#777777' }, encoding: { y, x: { field: 'low', type: 'quantitative', title: diffTitle }, x2: { field: 'high' } } },
        {
          data: { values: rows },
          mark: { type: 'point', filled: true, size: 50, opacity: 1 },
          encoding: {
            y,
            x: { field: 'diff', type: 'quantitative', title: diffTitle },
            color: { field: 'sign', type: 'nominal', scale: { domain: ['up', 'down'], range: [VERDICT_COLORS.better, VERDICT_COLORS.worse] }, legend: null },
            tooltip: [
              { field: 'trace', type: 'nominal' },
              { field: 'diff', type: 'quantitative', title: 'difference', format: '+.2f' },
              { field: 'pairs', type: 'quantitative' },
            ],
          },
        },
      ],
      config: chartConfig(),
    };
  }
  const rows = profileRows(view.perTrace).map((r) => ({ ...r, sign: r.diff >= 0 ? 'up' : 'down' }));
  title.subtitle = `${view.perTrace.length} traces sorted by their mean paired difference (${view.treatment} − ${view.control}); the band is the overall mean and its 95 % interval`;
  // The y title runs along a 240 px axis: kept short (the arms are named in the subtitle), or it overflows the plot.
  const yTitle = 'QoE difference (points)';
  const x = { field: 'rankPct', type: 'quantitative' as const, title: 'traces, sorted by difference (percentile)', scale: { domain: [0, 100], nice: false } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Sorted per-trace paired QoE differences',
    title,
    width: CHART_WIDTH_PX,
    height: 240,
    layer: [
      { data: { values: rows }, mark: { type: 'area', opacity: 0.55, interpolate: 'step-after', clip: true }, encoding: { x, y: { field: 'diff', type: 'quantitative', title: yTitle }, y2: { datum: 0 }, color: { field: 'sign', type: 'nominal', scale: { domain: ['up', 'down'], range: [VERDICT_COLORS.better, VERDICT_COLORS.worse] }, legend: null } } },
      { data: { values: rows }, mark: { type: 'line', color: '#333333', strokeWidth: 1, interpolate: 'step-after', clip: true }, encoding: { x, y: { field: 'diff', type: 'quantitative' }, tooltip: [{ field: 'trace', type: 'nominal' }, { field: 'diff', type: 'quantitative', format: '+.2f' }] } },
      ...(meanRows.length > 0
        ? [
            { data: { values: meanRows }, mark: { type: 'rect' as const, color: '#555555', opacity: 0.2 }, encoding: { y: { field: 'low', type: 'quantitative' as const }, y2: { field: 'high' } } },
            { data: { values: meanRows }, mark: { type: 'rule' as const, color: '#222222', strokeDash: [5, 3] }, encoding: { y: { field: 'mean', type: 'quantitative' as const } } },
          ]
        : []),
    ],
    config: chartConfig(),
  };
}
