/**
 * The A/B section's input, whatever computed it. `abrlab ab` (issue 5) writes its own analysis (bootstrap
 * intervals, signed-rank p-values, Holm correction, the rollout decision) to ab.json; when that is present its
 * figures are shown. Otherwise the report falls back on its own paired t intervals over the accumulator's pairs
 * and applies the reference rollout rule itself, and says so.
 */
import { METRICS, metricById, metricHeader, type MetricId } from './metrics.js';
import type { PairedData, PerTraceDiff } from './report-data.js';

export interface AbMetricRow {
  /** Header with unit, e.g. "QoE (0–100)". */
  label: string;
  better: 'higher' | 'lower';
  controlMean: number;
  meanDiff: number;
  low: number;
  high: number;
  /** Difference and interval relative to the control mean, %. */
  relativePct: number;
  relativeLowPct: number;
  relativeHighPct: number;
  /** p-value (after correction when the analysis applied one), when the analysis gives one. */
  pValue?: number;
  /** 'better' | 'worse' when the interval excludes 0, else 'unclear'. */
  verdict: 'better' | 'worse' | 'unclear';
}

export interface AbDecision {
  rollout: boolean;
  /** One sentence with the figures behind it. */
  reason: string;
}

export interface AbView {
  control: string;
  treatment: string;
  pairs: number;
  unmatched: number;
  /** How the intervals were computed, shown under the table. */
  method: string;
  metrics: AbMetricRow[];
  decision: AbDecision;
  perTrace: PerTraceDiff[];
}

/** Reference rollout rule (reference design §6.2): roll out when QoE improves by more than 2 % and significantly. */
export const ROLLOUT_MIN_IMPROVEMENT_PCT = 2;

export function verdictOf(row: { low: number; high: number; better: 'higher' | 'lower' }): AbMetricRow['verdict'] {
  if (!(row.low > 0) && !(row.high < 0)) return 'unclear';
  const up = row.low > 0;
  return up === (row.better === 'higher') ? 'better' : 'worse';
}

function relative(x: number, controlMean: number): number {
  return controlMean !== 0 && Number.isFinite(controlMean) ? (x / Math.abs(controlMean)) * 100 : Number.NaN;
}

/** The report's own view from paired differences: paired t intervals and the reference rule on QoE. */
export function abViewFromPaired(paired: PairedData): AbView {
  const metrics = paired.metrics.map((d): AbMetricRow => {
    const m = metricById(d.metric);
    const row = {
      label: metricHeader(m),
      better: m.better,
      controlMean: d.controlMean,
      meanDiff: d.meanDiff,
      low: d.low,
      high: d.high,
      relativePct: relative(d.meanDiff, d.controlMean),
      relativeLowPct: relative(d.low, d.controlMean),
      relativeHighPct: relative(d.high, d.controlMean),
    };
    return { ...row, verdict: verdictOf(row) };
  });
  const qoe = metrics[METRICS.findIndex((m) => m.id === 'qoe')];
  return {
    control: paired.control,
    treatment: paired.treatment,
    pairs: paired.pairs,
    unmatched: paired.unmatched,
    method: 'Paired Student t 95 % intervals of the mean per-pair difference (treatment − control), computed by the report; run `abrlab ab` for bootstrap intervals, signed-rank p-values and Holm correction.',
    metrics,
    decision: referenceDecision(qoe),
    perTrace: paired.perTrace,
  };
}

/** Applies the reference rollout rule to the QoE row. */
export function referenceDecision(qoe: AbMetricRow | undefined): AbDecision {
  if (qoe === undefined || !Number.isFinite(qoe.relativePct)) return { rollout: false, reason: 'Keep the control: no paired QoE difference could be computed.' };
  const pct = qoe.relativePct.toFixed(2);
  const significant = qoe.low > 0;
  if (qoe.relativePct > ROLLOUT_MIN_IMPROVEMENT_PCT && significant) {
    return { rollout: true, reason: `Roll out the treatment: QoE improves by ${pct} % (> ${ROLLOUT_MIN_IMPROVEMENT_PCT} %) and the 95 % interval of the difference excludes 0.` };
  }
  const why = !significant ? 'the 95 % interval of the difference includes 0 or is negative' : `the improvement is not above ${ROLLOUT_MIN_IMPROVEMENT_PCT} %`;
  return { rollout: false, reason: `Keep the control: QoE changes by ${pct} % and ${why}.` };
}

/** Maps a metric name used by other tools (summary.json's `qoeReference`, `rebufferRatio`, …) to ours. */
export function metricIdOf(name: string): MetricId | undefined {
  const aliases: Record<string, MetricId> = {
    qoe: 'qoe', qoeReference: 'qoe', reference: 'qoe',
    avgBitrateKbps: 'avgBitrateKbps', rebufferRatio: 'rebufferRatioPct', rebufferRatioPct: 'rebufferRatioPct',
    rebufferMs: 'rebufferS', rebufferS: 'rebufferS', rebufferCount: 'rebufferCount', startupMs: 'startupMs',
    switchCount: 'switchCount', completion: 'completionPct', completionPct: 'completionPct', bytes: 'megabytes',
    megabytes: 'megabytes', qoeLin: 'qoeLin', qoeLog: 'qoeLog', qoeHd: 'qoeHd',
  };
  return aliases[name];
}
