/**
 * results.csv: one row per session, for spreadsheets, R and pandas. The column table below is the documentation
 * (the report's reproducibility section prints it): units are in the names, as everywhere in abrlab, and values
 * are written as the results hold them (no rounding), so the CSV and results.jsonl agree exactly.
 * Quoting follows RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled.
 */
import { SUMMARY_METRICS } from '../experiment/aggregate.js';
import type { ReportSession } from './types.js';

export interface CsvColumn {
  name: string;
  description: string;
  value: (r: ReportSession, group: string) => string | number | undefined;
}

export const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'group', description: 'Report group: the policy, or "policy · variant"', value: (_r, g) => g },
  { name: 'policy', description: 'Policy label', value: (r) => r.policy },
  { name: 'variant', description: 'Experiment variant (empty when none)', value: (r) => r.variant },
  { name: 'trace', description: 'Network trace name', value: (r) => r.trace },
  { name: 'video', description: 'Video (catalog) name', value: (r) => r.video },
  { name: 'profile', description: 'Simulator profile (fluid, pensieve, sabre, live)', value: (r) => r.profile },
  { name: 'seed', description: 'Session seed', value: (r) => r.seed },
  { name: 'replicate', description: 'Replicate number (empty when the scenario has none)', value: (r) => r.replicate },
  { name: 'qoeReference', description: 'Reference composite QoE, 0–100', value: (r) => r.summary.qoe.reference },
  { name: 'qoeLin', description: "Pensieve's QoE_lin, summed over segments", value: (r) => r.summary.qoe.lin },
  { name: 'qoeLog', description: "Pensieve's QoE_log, summed over segments", value: (r) => r.summary.qoe.log },
  { name: 'qoeHd', description: "Pensieve's QoE_hd, summed over segments", value: (r) => r.summary.qoe.hd },
  { name: 'startupMs', description: 'Time to first frame, ms', value: (r) => r.summary.startupMs },
  { name: 'rebufferMs', description: 'Stall time after startup, ms', value: (r) => r.summary.rebufferMs },
  { name: 'rebufferCount', description: 'Stalls after startup', value: (r) => r.summary.rebufferCount },
  { name: 'rebufferRatio', description: 'rebufferMs / playMs, fraction (0.05 = 5 %)', value: (r) => r.summary.rebufferRatio },
  { name: 'avgBitrateKbps', description: 'Time-average played bitrate, kbps', value: (r) => r.summary.avgBitrateKbps },
  { name: 'switchCount', description: 'Representation switches', value: (r) => r.summary.switchCount },
  { name: 'playMs', description: 'Media time played, ms', value: (r) => r.summary.playMs },
  { name: 'completion', description: 'playMs / title duration, fraction', value: (r) => r.summary.completion },
  { name: 'bytes', description: 'Bytes received, abandoned transfers included', value: (r) => r.summary.bytes },
  { name: 'endReason', description: 'Why the session ended (finished, user-exit, fatal-error, time-limit)', value: (r) => r.summary.endReason },
  { name: 'costUsd', description: 'Delivery cost of the session, US$ (empty without the cost model)', value: (r) => r.cost?.usd },
  // Measured only in some runs (empty elsewhere); the readers are summary.json's.
  { name: 'errorKind', description: 'With endReason fatal-error: the error (transport kind or DRM code)', value: (r) => r.summary.error?.kind },
  { name: 'seekCount', description: 'Seeks carried out', value: (r) => r.summary.seekCount },
  { name: 'seekLatencyMeanMs', description: 'Mean seek latency, ms', value: (r) => SUMMARY_METRICS.seekLatencyMeanMs(r) },
  { name: 'cdnHitRatio', description: 'Share of CDN requests served from edge caches, fraction', value: (r) => SUMMARY_METRICS.cdnHitRatio(r) },
  { name: 'thumbnailLatencyP95Ms', description: 'p95 hover-to-thumbnail time while scrubbing, ms', value: (r) => SUMMARY_METRICS.thumbnailLatencyP95Ms(r) },
  { name: 'transitionGapMeanMs', description: 'Series: mean gap between episodes, ms', value: (r) => SUMMARY_METRICS.transitionGapMeanMs(r) },
  { name: 'prefetchWastedBytes', description: 'Series: prefetched bytes never played', value: (r) => SUMMARY_METRICS.prefetchWastedBytes(r) },
  { name: 'liveLatencyMeanMs', description: 'Live: mean latency behind the live edge, ms', value: (r) => SUMMARY_METRICS.liveLatencyMeanMs(r) },
  { name: 'branchStallMs', description: 'Interactive: stall at decision points, ms', value: (r) => SUMMARY_METRICS.branchStallMs(r) },
];

/** One CSV field. Numbers print in JavaScript's shortest round-trip form; NaN / ±Infinity and absent are empty. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvHeader(): string {
  return CSV_COLUMNS.map((c) => c.name).join(',') + '\n';
}

export function csvRow(r: ReportSession, group: string): string {
  let line = '';
  for (let i = 0; i < CSV_COLUMNS.length; i++) {
    if (i > 0) line += ',';
    line += csvField(CSV_COLUMNS[i]?.value(r, group));
  }
  return line + '\n';
}
