/**
 * The per-session metrics the report summarises, in display units, with their direction. One table drives the
 * summary tables, the A/B differences and the CSV, so a metric is named and scaled in one place only.
 */
import type { SessionSummary } from '../qoe/types.js';

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
  | 'qoeHd';

export interface ReportMetric {
  id: MetricId;
  /** Short label for headers. */
  label: string;
  /** Unit shown after the label, e.g. "kbps"; "" for a unitless score. */
  unit: string;
  /** Longer explanation for tooltips. */
  description: string;
  /** Reads the metric from a session summary, in display units. */
  read: (s: SessionSummary) => number;
  /** Decimals printed. */
  digits: number;
  /** Which way is better: decides the colour of an A/B difference. */
  better: 'higher' | 'lower';
}

export const METRICS: readonly ReportMetric[] = [
  { id: 'qoe', label: 'QoE', unit: '0–100', description: 'Reference composite QoE (reference design §4.3)', read: (s) => s.qoe.reference, digits: 2, better: 'higher' },
  { id: 'avgBitrateKbps', label: 'Avg bitrate', unit: 'kbps', description: 'Time-average bitrate of the media played', read: (s) => s.avgBitrateKbps, digits: 0, better: 'higher' },
  { id: 'rebufferRatioPct', label: 'Rebuffer ratio', unit: '%', description: 'Stall time / play time, per session', read: (s) => s.rebufferRatio * 100, digits: 2, better: 'lower' },
  { id: 'rebufferS', label: 'Stall time', unit: 's', description: 'Total stall time after startup', read: (s) => s.rebufferMs / 1000, digits: 2, better: 'lower' },
  { id: 'rebufferCount', label: 'Rebuffers', unit: 'count', description: 'Stalls after startup per session', read: (s) => s.rebufferCount, digits: 2, better: 'lower' },
  { id: 'startupMs', label: 'Startup', unit: 'ms', description: 'Time to first frame', read: (s) => s.startupMs, digits: 0, better: 'lower' },
  { id: 'switchCount', label: 'Switches', unit: 'count', description: 'Representation switches per session', read: (s) => s.switchCount, digits: 2, better: 'lower' },
  { id: 'completionPct', label: 'Completion', unit: '%', description: 'Media played / title duration', read: (s) => s.completion * 100, digits: 1, better: 'higher' },
  { id: 'megabytes', label: 'Data', unit: 'MB', description: 'Bytes received (10^6 bytes), abandoned transfers included', read: (s) => s.bytes / 1e6, digits: 1, better: 'lower' },
  { id: 'qoeLin', label: 'QoE lin', unit: 'Pensieve', description: "Pensieve's QoE_lin, summed over segments", read: (s) => s.qoe.lin, digits: 1, better: 'higher' },
  { id: 'qoeLog', label: 'QoE log', unit: 'Pensieve', description: "Pensieve's QoE_log, summed over segments", read: (s) => s.qoe.log, digits: 2, better: 'higher' },
  { id: 'qoeHd', label: 'QoE hd', unit: 'Pensieve', description: "Pensieve's QoE_hd, summed over segments", read: (s) => s.qoe.hd, digits: 1, better: 'higher' },
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
