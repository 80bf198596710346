/**
 * Per-policy aggregation of session results for the report's summary table (and for anyone who wants the same
 * figures as data). Pure: no formatting here, see html.ts.
 */
import { mean, median } from 'simple-statistics';
import type { SessionResult } from '../qoe/types.js';

/** One row of the summary table: means over a policy's sessions unless the name says median. */
export interface PolicySummaryRow {
  policy: string;
  sessions: number;
  /** Reference composite QoE (0–100). */
  qoeMean: number;
  qoeMedian: number;
  startupMsMean: number;
  /**
   * Mean over sessions of each session's rebuffer ratio, in percent. Averaging per-session ratios (rather than
   * pooling stall time) weighs every session equally, as the per-session QoE does.
   */
  rebufferRatioPctMean: number;
  rebufferCountMean: number;
  avgBitrateKbpsMean: number;
  switchCountMean: number;
}

/** Groups results by policy, in order of first appearance, and averages each group. */
export function summarizeByPolicy(results: readonly SessionResult[]): PolicySummaryRow[] {
  const groups = new Map<string, SessionResult[]>();
  for (const result of results) {
    const group = groups.get(result.policy);
    if (group) group.push(result);
    else groups.set(result.policy, [result]);
  }
  return [...groups].map(([policy, group]) => {
    const of = (f: (r: SessionResult) => number): number[] => group.map(f);
    const qoe = of((r) => r.summary.qoe.reference);
    return {
      policy,
      sessions: group.length,
      qoeMean: mean(qoe),
      qoeMedian: median(qoe),
      startupMsMean: mean(of((r) => r.summary.startupMs)),
      rebufferRatioPctMean: mean(of((r) => r.summary.rebufferRatio * 100)),
      rebufferCountMean: mean(of((r) => r.summary.rebufferCount)),
      avgBitrateKbpsMean: mean(of((r) => r.summary.avgBitrateKbps)),
      switchCountMean: mean(of((r) => r.summary.switchCount)),
    };
  });
}
