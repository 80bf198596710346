/**
 * The A/B section's input, whatever computed it. `abrlab ab` (issue 5) writes its own analysis (bootstrap
 * intervals, signed-rank p-values, Holm correction, the rollout decision) to ab.json; when that is present its
 * figures are shown. Otherwise the report falls back on its own paired t intervals over the accumulator's pairs
 * and applies the reference rollout rule itself, and says so.
 */
import type { AbComparison, AbPairDiff, AbResult } from '../experiment/ab-types.js';
import { METRICS, metricById, metricHeader, type MetricId } from './metrics.js';
import type { PairedData, PerTraceDiff } from './report-data.js';
import { meanInterval } from './stats/intervals.js';
import { RunningMoments } from './stats/moments.js';

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
  // Optional measures (seeks, delivery, content types) appear only when the pairs measured them.
  const shown = metrics.filter((_row, i) => METRICS[i]?.optional !== true || Number.isFinite(paired.metrics[i]?.meanDiff ?? Number.NaN));
  return {
    control: paired.control,
    treatment: paired.treatment,
    pairs: paired.pairs,
    unmatched: paired.unmatched,
    method: 'Paired Student t 95 % intervals of the mean per-pair difference (treatment − control), computed by the report (abrlab ab adds bootstrap intervals, signed-rank p-values and Holm correction).',
    metrics: shown,
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

/**
 * Display scale from the A/B analysis's metric names (summary.json's units: ratios as fractions, times in ms,
 * sizes in bytes) to the report's (metrics.ts: %, s, MB), so one table reads the same whoever computed it.
 */
const AB_SCALE: Readonly<Record<string, number>> = {
  rebufferRatio: 100,
  rebufferMs: 1 / 1000,
  completion: 100,
  bytes: 1 / 1e6,
};

/**
 * The view of one comparison of `abrlab ab`'s analysis (ab.json): its bootstrap intervals, Holm-adjusted
 * p-values and decision, as computed there. `perTrace` comes from the report's own pairing when it has one
 * (interval per trace over replicates), else from the pairs listed in ab.json.
 */
export function abViewFromAbResult(ab: AbResult, comparison: AbComparison, perTrace?: readonly PerTraceDiff[]): AbView {
  const metrics = comparison.metrics.map((r): AbMetricRow => {
    const id = metricIdOf(r.metric);
    const m = id !== undefined ? metricById(id) : undefined;
    const scale = AB_SCALE[r.metric] ?? 1;
    const rel = (x: number): number => relative(x, r.controlMean);
    const verdict: AbMetricRow['verdict'] = r.verdict === 'no-change' ? 'unclear' : r.verdict;
    return {
      label: m !== undefined ? metricHeader(m) : r.metric,
      better: r.higherIsBetter ? 'higher' : 'lower',
      controlMean: r.controlMean * scale,
      meanDiff: r.meanDiff * scale,
      low: r.ci.low * scale,
      high: r.ci.high * scale,
      relativePct: r.relativeDiffPct ?? Number.NaN,
      relativeLowPct: rel(r.ci.low),
      relativeHighPct: rel(r.ci.high),
      pValue: r.pHolm,
      verdict,
    };
  });
  const first = comparison.metrics[0];
  const level = first !== undefined ? `${Math.round(first.ci.level * 100)} %` : '95 %';
  const resamples = first?.ci.resamples ?? ab.bootstrap.resamples;
  const tests = [...new Set(comparison.metrics.map((r) => r.test))].join(', ');
  return {
    control: comparison.control,
    treatment: comparison.treatment,
    pairs: first?.n ?? comparison.pairs.length,
    unmatched: comparison.unmatched,
    method:
      `From ab.json (abrlab ab, ${ab.design} design): ${level} bootstrap percentile intervals (${resamples} resamples, seed ${ab.bootstrap.seed}); ` +
      `p-values from ${tests === '' ? 'the analysis' : tests}, Holm-adjusted over ${ab.holmFamilySize} comparisons at α = ${ab.alpha}.`,
    metrics,
    decision: { rollout: comparison.decision.action === 'rollout', reason: comparison.decision.reason },
    perTrace: perTrace !== undefined && perTrace.length > 0 ? [...perTrace] : perTraceFromPairs(comparison.pairs),
  };
}

/** Per-trace mean QoE difference over ab.json's pairs (interval only where a trace has several replicates). */
export function perTraceFromPairs(pairs: readonly AbPairDiff[]): PerTraceDiff[] {
  const byTrace = new Map<string, RunningMoments>();
  for (const p of pairs) {
    const d = p.diff.qoeReference ?? p.diff.qoe;
    if (d === undefined) continue;
    let m = byTrace.get(p.trace);
    if (m === undefined) byTrace.set(p.trace, (m = new RunningMoments()));
    m.add(d);
  }
  const rows = [...byTrace].map(([trace, m]): PerTraceDiff => {
    const ci = meanInterval({ mean: m.mean, variance: m.variance(), count: m.count });
    return { trace, pairs: m.count, meanDiff: m.mean, low: ci.low, high: ci.high };
  });
  return rows.sort((a, b) => a.meanDiff - b.meanDiff || (a.trace < b.trace ? -1 : a.trace > b.trace ? 1 : 0));
}

/** Group label of an arm, as the accumulator names groups (types.ts defaultGroupOf). */
export function armGroupLabel(ab: AbResult, armName: string): string | undefined {
  const arm = ab.arms.find((a) => a.name === armName);
  if (arm === undefined) return undefined;
  return arm.variant !== undefined && arm.variant !== '' ? `${arm.policy} · ${arm.variant}` : arm.policy;
}
