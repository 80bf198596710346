import type { SessionResult } from '../qoe/types.js';

/** Distribution of one metric over sessions. */
export interface MetricStats {
  mean: number;
  median: number;
  p5: number;
  p95: number;
  min: number;
  max: number;
}

/** The metrics aggregated per policy in summary.json. Each reads one number from a session summary. */
export const SUMMARY_METRICS = {
  qoeReference: (r: SessionResult) => r.summary.qoe.reference,
  qoeLin: (r: SessionResult) => r.summary.qoe.lin,
  qoeLog: (r: SessionResult) => r.summary.qoe.log,
  qoeHd: (r: SessionResult) => r.summary.qoe.hd,
  startupMs: (r: SessionResult) => r.summary.startupMs,
  rebufferMs: (r: SessionResult) => r.summary.rebufferMs,
  rebufferRatio: (r: SessionResult) => r.summary.rebufferRatio,
  rebufferCount: (r: SessionResult) => r.summary.rebufferCount,
  avgBitrateKbps: (r: SessionResult) => r.summary.avgBitrateKbps,
  switchCount: (r: SessionResult) => r.summary.switchCount,
  completion: (r: SessionResult) => r.summary.completion,
  bytes: (r: SessionResult) => r.summary.bytes,
} as const;

export type SummaryMetric = keyof typeof SUMMARY_METRICS;

export interface PolicyAggregate {
  policy: string;
  sessions: number;
  metrics: Record<SummaryMetric, MetricStats>;
}

/** Per-policy distributions, policies in first-seen order. */
export function aggregateByPolicy(results: readonly SessionResult[]): PolicyAggregate[] {
  const byPolicy = new Map<string, SessionResult[]>();
  for (const r of results) {
    const list = byPolicy.get(r.policy) ?? [];
    list.push(r);
    byPolicy.set(r.policy, list);
  }
  return [...byPolicy.entries()].map(([policy, list]) => ({
    policy,
    sessions: list.length,
    metrics: Object.fromEntries(
      Object.entries(SUMMARY_METRICS).map(([name, read]) => [name, stats(list.map(read))]),
    ) as Record<SummaryMetric, MetricStats>,
  }));
}

/**
 * Mean and quantiles. Quantiles interpolate linearly between order statistics (Hyndman–Fan type 7, the default
 * of R and numpy) so figures match what users compute in their own notebooks; simple-statistics' quantileSorted
 * uses a different rule.
 */
export function stats(values: readonly number[]): MetricStats {
  if (values.length === 0) return { mean: NaN, median: NaN, p5: NaN, p95: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    mean,
    median: quantile7(sorted, 0.5),
    p5: quantile7(sorted, 0.05),
    p95: quantile7(sorted, 0.95),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

function quantile7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
