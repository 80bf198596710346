/**
 * The per-session metrics the report summarises, in display units, with their direction. One table drives the
 * summary tables, the A/B differences and the CSV, so a metric is named and scaled in one place only.
 */
import { SUMMARY_METRICS } from '../experiment/aggregate.js';
import type { ReportSession } from './types.js';

export type MetricId =
  | 'qoe'
  | 'avgBitrateKbps'
  | 'rebufferRatioPct'
  | 'rebufferS'
  | 'rebufferCount'
  | 'startupMs'
  | 'switchCount'
  | 'completionPct'
  | 'megabytes'
  | 'qoeLin'
  | 'qoeLog'
  | 'qoeHd'
  | 'seekLatencyMs'
  | 'costUsdPerHour'
  | 'cdnHitRatioPct'
  | 'thumbnailP95Ms'
  | 'transitionGapMs'
  | 'prefetchWastedMB'
  | 'liveLatencyS'
  | 'branchStallMs';

export interface ReportMetric {
  id: MetricId;
  /** Short label for headers. */
  label: string;
  /** Unit shown after the label, e.g. "kbps"; "" for a unitless score. */
  unit: string;
  /** Longer explanation for tooltips. */
  description: string;
  /** Reads the metric from a session (its summary, or the delivery / content blocks), in display units. */
  read: (r: ReportSession) => number;
  /** Decimals printed. */
  digits: number;
  /** Which way is better: decides the colour of an A/B difference. */
  better: 'higher' | 'lower';
  /** Present only in some runs (seeks, the CDN model, trick play, content types): shown only when measured. */
  optional?: boolean;
}

export const METRICS: readonly ReportMetric[] = [
  { id: 'qoe', label: 'QoE', unit: '0–100', description: 'Reference composite QoE (reference design §4.3)', read: (r) => r.summary.qoe.reference, digits: 2, better: 'higher' },
  { id: 'avgBitrateKbps', label: 'Avg bitrate', unit: 'kbps', description: 'Time-average bitrate of the media played', read: (r) => r.summary.avgBitrateKbps, digits: 0, better: 'higher' },
  { id: 'rebufferRatioPct', label: 'Rebuffer ratio', unit: '%', description: 'Stall time / play time, per session', read: (r) => r.summary.rebufferRatio * 100, digits: 2, better: 'lower' },
  { id: 'rebufferS', label: 'Stall time', unit: 's', description: 'Total stall time after startup', read: (r) => r.summary.rebufferMs / 1000, digits: 2, better: 'lower' },
  { id: 'rebufferCount', label: 'Rebuffers', unit: 'count', description: 'Stalls after startup per session', read: (r) => r.summary.rebufferCount, digits: 2, better: 'lower' },
  { id: 'startupMs', label: 'Startup', unit: 'ms', description: 'Time to first frame', read: (r) => r.summary.startupMs, digits: 0, better: 'lower' },
  { id: 'switchCount', label: 'Switches', unit: 'count', description: 'Representation switches per session', read: (r) => r.summary.switchCount, digits: 2, better: 'lower' },
  { id: 'completionPct', label: 'Completion', unit: '%', description: 'Media played / title duration', read: (r) => r.summary.completion * 100, digits: 1, better: 'higher' },
  { id: 'megabytes', label: 'Data', unit: 'MB', description: 'Bytes received (10^6 bytes), abandoned transfers included', read: (r) => r.summary.bytes / 1e6, digits: 1, better: 'lower' },
  { id: 'qoeLin', label: 'QoE lin', unit: 'Pensieve', description: "Pensieve's QoE_lin, summed over segments", read: (r) => r.summary.qoe.lin, digits: 1, better: 'higher' },
  { id: 'qoeLog', label: 'QoE log', unit: 'Pensieve', description: "Pensieve's QoE_log, summed over segments", read: (r) => r.summary.qoe.log, digits: 2, better: 'higher' },
  { id: 'qoeHd', label: 'QoE hd', unit: 'Pensieve', description: "Pensieve's QoE_hd, summed over segments", read: (r) => r.summary.qoe.hd, digits: 1, better: 'higher' },
  // Optional measures: the readers are summary.json's (src/experiment/aggregate.ts), scaled for display.
  { id: 'seekLatencyMs', label: 'Seek latency', unit: 'ms', description: 'Mean time from a seek to playback at the target (reference target < 500 ms)', read: (r) => SUMMARY_METRICS.seekLatencyMeanMs(r), digits: 0, better: 'lower', optional: true },
  { id: 'costUsdPerHour', label: 'Delivery cost', unit: 'US$/h', description: 'Delivery cost per streaming hour of the session (reference §7 prices)', read: (r) => SUMMARY_METRICS.costUsdPerStreamingHour(r), digits: 4, better: 'lower', optional: true },
  { id: 'cdnHitRatioPct', label: 'Edge hit ratio', unit: '%', description: 'Share of CDN requests served from edge caches', read: (r) => SUMMARY_METRICS.cdnHitRatio(r) * 100, digits: 1, better: 'higher', optional: true },
  { id: 'thumbnailP95Ms', label: 'Thumbnail p95', unit: 'ms', description: 'p95 time from hover to thumbnail while scrubbing', read: (r) => SUMMARY_METRICS.thumbnailLatencyP95Ms(r), digits: 0, better: 'lower', optional: true },
  { id: 'transitionGapMs', label: 'Episode gap', unit: 'ms', description: 'Mean gap between the last frame of an episode and the first of the next (target < 500 ms)', read: (r) => SUMMARY_METRICS.transitionGapMeanMs(r), digits: 0, better: 'lower', optional: true },
  { id: 'prefetchWastedMB', label: 'Wasted prefetch', unit: 'MB', description: 'Prefetched bytes of the next episode never played (10^6 bytes)', read: (r) => SUMMARY_METRICS.prefetchWastedBytes(r) / 1e6, digits: 2, better: 'lower', optional: true },
  { id: 'liveLatencyS', label: 'Live latency', unit: 's', description: 'Mean latency behind the live edge', read: (r) => SUMMARY_METRICS.liveLatencyMeanMs(r) / 1000, digits: 2, better: 'lower', optional: true },
  { id: 'branchStallMs', label: 'Branch stall', unit: 'ms', description: 'Stall at interactive decision points', read: (r) => SUMMARY_METRICS.branchStallMs(r), digits: 0, better: 'lower', optional: true },
];

export function metricById(id: MetricId): ReportMetric {
  const m = METRICS.find((x) => x.id === id);
  if (m === undefined) throw new RangeError(`unknown metric ${id}`);
  return m;
}

/** "Avg bitrate (kbps)". */
export function metricHeader(m: ReportMetric): string {
  return m.unit === '' ? m.label : `${m.label} (${m.unit})`;
}
