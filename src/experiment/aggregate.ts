import type { SessionResult } from '../qoe/types.js';
import { quantileSorted } from './stats/descriptive.js';
import type { ContentRowFields } from './content-run.js';

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
  // The rest exist only in some sessions (NaN elsewhere; statistics skip them): seeks, the CDN model, trick play.
  seekCount: (r: SessionResult) => r.summary.seekCount ?? 0,
  seekLatencyMeanMs: (r: SessionResult) => r.summary.seekLatencyMeanMs ?? Number.NaN,
  costUsd: (r: SessionResult) => r.cost?.usd ?? Number.NaN,
  costUsdPerStreamingHour: (r: SessionResult) => r.cost?.usdPerStreamingHour ?? Number.NaN,
  cdnHitRatio: (r: SessionResult) => cdnHitRatio(r),
  thumbnailLatencyP95Ms: (r: SessionResult) => r.trickplay?.latencyP95Ms ?? Number.NaN,
  thumbnailHitRate: (r: SessionResult) => r.trickplay?.hitRate ?? Number.NaN,
  // Content types (issue 9; content-run.ts): only the rows of series, live or interactive scenarios have them.
  transitionGapMeanMs: (r: SessionResult) => content(r).series?.transitionGapMeanMs ?? Number.NaN,
  transitionGapMaxMs: (r: SessionResult) => content(r).series?.transitionGapMaxMs ?? Number.NaN,
  prefetchWastedBytes: (r: SessionResult) => content(r).series?.wastedBytes ?? Number.NaN,
  liveLatencyMeanMs: (r: SessionResult) => content(r).live?.latencyMeanMs ?? Number.NaN,
  liveLatencyP95Ms: (r: SessionResult) => content(r).live?.latencyP95Ms ?? Number.NaN,
  liveLatencyAfterStallMs: (r: SessionResult) => content(r).live?.maxLatencyAfterStallMs ?? Number.NaN,
  branchStallMs: (r: SessionResult) => content(r).interactive?.branchStallMs ?? Number.NaN,
  interactiveWastedBytes: (r: SessionResult) => content(r).interactive?.wastedBytes ?? Number.NaN,
} as const;

/** The content-type fields of a row (absent on movie rows). */
function content(r: SessionResult): ContentRowFields {
  return r as SessionResult & ContentRowFields;
}

/** Share of the session's CDN requests served from edge caches (NaN without the CDN model). */
function cdnHitRatio(r: SessionResult): number {
  let hits = 0;
  let all = 0;
  for (const c of Object.values(r.delivery?.cdns ?? {})) {
    hits += c.hits;
    all += c.hits + c.misses;
  }
  return all > 0 ? hits / all : Number.NaN;
}

export type SummaryMetric = keyof typeof SUMMARY_METRICS;

export interface PolicyAggregate {
  /** The group: the policy label, or "policy · variant" when the scenario has variants (report/types.ts). */
  policy: string;
  /** The variant of the group, when the scenario has variants. */
  variant?: string;
  sessions: number;
  metrics: Record<SummaryMetric, MetricStats>;
}

const METRIC_NAMES = Object.keys(SUMMARY_METRICS) as SummaryMetric[];
const METRIC_READERS = Object.values(SUMMARY_METRICS);

/** Number of values in a metric vector (one per SUMMARY_METRICS entry, in that order). */
export const METRIC_COUNT = METRIC_NAMES.length;

/** Writes a session's summary metrics into `out` at `offset`, in SUMMARY_METRICS order. */
export function writeMetricVector(r: SessionResult, out: Float64Array, offset: number): void {
  for (let m = 0; m < METRIC_COUNT; m++) out[offset + m] = (METRIC_READERS[m] as (r: SessionResult) => number)(r);
}

/** Per-policy distributions, policies in first-seen order. */
export function aggregateByPolicy(results: readonly SessionResult[]): PolicyAggregate[] {
  const agg = new StreamingAggregator();
  const vec = new Float64Array(METRIC_COUNT);
  results.forEach((r, i) => {
    writeMetricVector(r, vec, 0);
    agg.add(r.policy, undefined, i, vec, 0);
  });
  return agg.aggregates();
}

/** A growable column of doubles (8 bytes a session: no result rows are kept). */
class Column {
  data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

interface Group {
  name: string;
  variant: string | undefined;
  /** Plan index of each session, in arrival order. */
  index: Column;
  metrics: Column[];
}

/** A session chosen for the report's drill-down: the best, median or worst reference QoE of its group. */
export interface PickedIndex {
  group: string;
  pick: 'best' | 'median' | 'worst';
  /** Plan index. */
  index: number;
}

/**
 * Aggregates sessions as they stream by, one group per policy (or policy · variant), keeping only a column of
 * numbers per metric (about 100 bytes a session, against kilobytes for a result row), so figures are exact —
 * the same as `stats()` over every value — and the memory of a 100,000-session sweep stays around 10 MB.
 */
export class StreamingAggregator {
  private readonly groups = new Map<string, Group>();

  /** Adds one session: its group, plan index and metric vector (`vec[offset ..]`, SUMMARY_METRICS order). */
  add(policy: string, variant: string | undefined, index: number, vec: Float64Array, offset: number): void {
    const name = variant === undefined || variant === '' ? policy : `${policy} · ${variant}`;
    let g = this.groups.get(name);
    if (g === undefined) {
      g = { name, variant, index: new Column(), metrics: METRIC_NAMES.map(() => new Column()) };
      this.groups.set(name, g);
    }
    g.index.push(index);
    for (let m = 0; m < METRIC_COUNT; m++) (g.metrics[m] as Column).push(vec[offset + m] as number);
  }

  get sessions(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.index.length;
    return n;
  }

  aggregates(): PolicyAggregate[] {
    return [...this.groups.values()].map((g) => ({
      policy: g.name,
      ...(g.variant === undefined ? {} : { variant: g.variant }),
      sessions: g.index.length,
      metrics: Object.fromEntries(METRIC_NAMES.map((name, m) => [name, stats((g.metrics[m] as Column).values())])) as Record<SummaryMetric, MetricStats>,
    }));
  }

  /**
   * Best, median and worst session of each group by reference QoE (first in plan order wins ties), group by
   * group, at most `max` in all and no session twice.
   */
  picks(max: number): PickedIndex[] {
    const q = METRIC_NAMES.indexOf('qoeReference');
    const out: PickedIndex[] = [];
    const seen = new Set<number>();
    for (const g of this.groups.values()) {
      const qoe = (g.metrics[q] as Column).values();
      const idx = g.index.values();
      const median = stats(qoe).median;
      let best = -1;
      let worst = -1;
      let mid = -1;
      for (let i = 0; i < qoe.length; i++) {
        const v = qoe[i] as number;
        if (!Number.isFinite(v)) continue;
        if (best < 0 || v > (qoe[best] as number) || (v === qoe[best] && (idx[i] as number) < (idx[best] as number))) best = i;
        if (worst < 0 || v < (qoe[worst] as number) || (v === qoe[worst] && (idx[i] as number) < (idx[worst] as number))) worst = i;
        const d = Math.abs(v - median);
        const dm = mid < 0 ? Infinity : Math.abs((qoe[mid] as number) - median);
        if (d < dm || (d === dm && (idx[i] as number) < (idx[mid] as number))) mid = i;
      }
      for (const [pick, at] of [['best', best], ['median', mid], ['worst', worst]] as const) {
        if (at < 0 || out.length >= max) continue;
        const index = idx[at] as number;
        if (seen.has(index)) continue;
        seen.add(index);
        out.push({ group: g.name, pick, index });
      }
    }
    return out;
  }
}

/**
 * Mean and quantiles. Quantiles interpolate linearly between order statistics (Hyndman–Fan type 7, the default
 * of R and numpy) so figures match what users compute in their own notebooks; simple-statistics' quantileSorted
 * uses a different rule.
 */
export function stats(values: ArrayLike<number>): MetricStats {
  // A typed-array sort is numeric (NaN last) and does not box: 100,000 values sort in a few ms. Sessions without
  // the metric (NaN) are left out.
  let sorted = Float64Array.from(values).sort();
  let finite = sorted.length;
  while (finite > 0 && Number.isNaN(sorted[finite - 1] as number)) finite--;
  sorted = sorted.subarray(0, finite);
  if (sorted.length === 0) return { mean: NaN, median: NaN, p5: NaN, p95: NaN, min: NaN, max: NaN };
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  const mean = sum / sorted.length;
  return {
    mean,
    median: quantileSorted(sorted, 0.5),
    p5: quantileSorted(sorted, 0.05),
    p95: quantileSorted(sorted, 0.95),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

