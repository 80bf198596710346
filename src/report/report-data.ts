/**
 * The finished, pre-aggregated input of the renderer (`ReportAccumulator.finish()`): everything a chart or a
 * table draws, already reduced to a size that does not grow with the number of sessions (CDF points, histogram
 * bins, a scatter sample, three picked sessions per group).
 */
import type { SessionTimeline } from '../qoe/types.js';
import type { MetricId } from './metrics.js';
import type { ReportSession } from './types.js';

/** Distribution of one metric over a group's sessions, with 95 % intervals (stats/intervals.ts). */
export interface MetricSummary {
  /** Finite values summarised; `skipped` counts NaN / infinite ones left out. */
  n: number;
  skipped: number;
  mean: number;
  /** Student's t interval of the mean. */
  meanLow: number;
  meanHigh: number;
  /** Sample standard deviation. */
  sd: number;
  median: number;
  /** Distribution-free order-statistic interval of the median. */
  medianLow: number;
  medianHigh: number;
  p5: number;
  p95: number;
  min: number;
  max: number;
  /** True when quantiles are exact; false when they come from the sketch (within its relative accuracy). */
  exact: boolean;
}

export interface ScatterPoint {
  trace: string;
  avgBitrateKbps: number;
  rebufferRatioPct: number;
  qoe: number;
}

/** A session chosen for the drill-down, without its segment rows. */
export interface PickedSession {
  key: string;
  session: ReportSession;
  qoe: number;
  timeline?: SessionTimeline;
}

export interface Picks {
  best?: PickedSession;
  median?: PickedSession;
  worst?: PickedSession;
}

export interface CostSummary {
  /** Sessions that carried a `cost` block. */
  sessions: number;
  usd: number;
  /** Play time of those sessions, hours. */
  streamingHours: number;
  /** usd / streamingHours. */
  usdPerStreamingHour: number;
  tiers: { tier: string; bytes: number; usd: number; gbPerStreamingHour: number; usdPerStreamingHour: number }[];
}

/** Means over a group's sessions that ran the startup flow (reference §2.1 / §4.2), ms. */
export interface StartupSummary {
  sessions: number;
  meanTtffMs: number;
  meanLicenceAttempts: number;
  /** Mean duration of each step (auth, playbackApi, manifest, licence, bookmark), ms. */
  meanStepMs: Record<string, number>;
}

export interface GroupData {
  /** Group name: the policy, or "policy · variant". */
  label: string;
  policy: string;
  variant?: string;
  sessions: number;
  metrics: Record<MetricId, MetricSummary>;
  /** Empirical CDF of QoE: {value, fraction of sessions ≤ value}. */
  qoeCdf: { value: number; fraction: number }[];
  /** Uniform random sample of sessions (seeded reservoir) for the trade-off scatter. */
  scatter: ScatterPoint[];
  /** Sessions per switch count, ascending. */
  switchHistogram: { switches: number; sessions: number }[];
  cost?: CostSummary;
  startup?: StartupSummary;
  /** Best, median and worst session by QoE over all sessions. */
  picks: Picks;
  /** The same over the sessions that arrived with a timeline (the fallback when a pick has none). */
  timelinePicks: Picks;
}

export interface PairedMetricDiff {
  metric: MetricId;
  /** Mean of treatment − control over pairs. */
  meanDiff: number;
  /** Paired t interval of the mean difference. */
  low: number;
  high: number;
  /** Mean of the control arm over the paired sessions. */
  controlMean: number;
  /** meanDiff / controlMean × 100 (NaN when the control mean is 0). */
  relativePct: number;
}

export interface PerTraceDiff {
  trace: string;
  /** Pairs on this trace (replicates). */
  pairs: number;
  /** Mean QoE difference treatment − control on this trace. */
  meanDiff: number;
  /** Paired t interval over the trace's replicates (NaN with one pair). */
  low: number;
  high: number;
}

/** Paired comparison of two groups computed by the accumulator itself (same trace, video and replicate). */
export interface PairedData {
  control: string;
  treatment: string;
  pairs: number;
  /** Sessions of either arm left without a partner. */
  unmatched: number;
  metrics: PairedMetricDiff[];
  /** Per trace, ascending by difference. */
  perTrace: PerTraceDiff[];
}

export interface ReportData {
  sessions: number;
  /** Distinct trace names. */
  traces: number;
  groups: GroupData[];
  paired?: PairedData;
  /** Relative accuracy of sketched quantiles (used when a group exceeds the exact cap). */
  sketchRelativeAccuracy: number;
}
