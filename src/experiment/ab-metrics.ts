/**
 * The metrics the A/B analysis and the gate can read: summary.json's ids (SUMMARY_METRICS in aggregate.ts), each
 * with the direction that counts as better for users. Unknown ids are user mistakes, named with the valid ones.
 */
import { InputError } from '../core/errors.js';
import type { SessionResult } from '../qoe/types.js';
import { SUMMARY_METRICS, type SummaryMetric } from './aggregate.js';

/**
 * True when a larger value is better. QoE scores, bitrate and completion rise with quality; startup, stalls and
 * switches are costs. Bytes count as a cost (delivery cost per streaming hour, reference §7): an arm that spends
 * more bytes for the same QoE is the worse one.
 */
export const HIGHER_IS_BETTER: Record<SummaryMetric, boolean> = {
  qoeReference: true,
  qoeLin: true,
  qoeLog: true,
  qoeHd: true,
  startupMs: false,
  rebufferMs: false,
  rebufferRatio: false,
  rebufferCount: false,
  avgBitrateKbps: true,
  switchCount: false,
  completion: true,
  bytes: false,
  seekCount: false,
  seekLatencyMeanMs: false,
  costUsd: false,
  costUsdPerStreamingHour: false,
  cdnHitRatio: true,
  thumbnailLatencyP95Ms: false,
  thumbnailHitRate: true,
  // Gaps, latency behind the live edge, stalls at branches and prefetched bytes never played are all costs.
  transitionGapMeanMs: false,
  transitionGapMaxMs: false,
  prefetchWastedBytes: false,
  liveLatencyMeanMs: false,
  liveLatencyP95Ms: false,
  liveLatencyAfterStallMs: false,
  branchStallMs: false,
  interactiveWastedBytes: false,
};

export const METRIC_IDS = Object.keys(SUMMARY_METRICS) as SummaryMetric[];

export function isMetricId(id: string): id is SummaryMetric {
  return Object.prototype.hasOwnProperty.call(SUMMARY_METRICS, id);
}

/** Checks a metric id written in a scenario; the error names the field and lists the valid ids. */
export function checkMetricId(id: string, where: { file: string; field: string }): SummaryMetric {
  if (isMetricId(id)) return id;
  throw new InputError(`unknown metric "${id}"; use one of ${METRIC_IDS.join(', ')}`, where);
}

/** A session's value of a metric; NaN when the row lacks it (a null in JSON, e.g. a ratio over zero play time). */
export function metricValue(row: SessionResult, id: SummaryMetric): number {
  const v = SUMMARY_METRICS[id](row) as number | null | undefined;
  return typeof v === 'number' ? v : Number.NaN;
}
