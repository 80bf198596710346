/**
 * What the report reads beyond the `SessionResult` contract, and how a session is named and grouped. These
 * fields are optional: a run without variants, replicates or a cost model simply has none of them.
 */
import type { SessionResult, SessionTimeline } from '../qoe/types.js';

/**
 * Delivery cost of one session, filled when the cost model (issue 7) is on. The report divides the summed
 * `usd` by the summed play time to give cost per streaming hour (a ratio of totals: the business figure, which
 * weighs a long session more than a short one).
 */
export interface SessionCost {
  /** Total delivery cost of the session, US dollars. */
  usd: number;
  /**
   * Optional split by delivery tier, keyed by tier name (e.g. "oca", "cloudfront", "s3", in the reference
   * design's failover order): bytes served from that tier and what they cost.
   */
  tiers?: Record<string, { bytes: number; usd: number }>;
}

/** Optional fields the report understands on a result row (results.jsonl). */
export interface ReportSessionFields {
  /** Named variant of an experiment (issue 5), e.g. "buffer-30s"; absent for plain policy comparisons. */
  variant?: string;
  /** Replicate number when a scenario repeats each trace with several seeds. */
  replicate?: number;
  cost?: SessionCost;
  /** A result may carry its timeline (then the drill-down can draw it without a separate file). */
  timeline?: SessionTimeline;
}

export type ReportSession = SessionResult & ReportSessionFields;

/** How the report was produced: shown in the reproducibility block. */
export interface ReportMeta {
  /** Scenario name. */
  name: string;
  /** What produced the results: "run", "compare", "ab", "gate", … (shown under the title). */
  kind?: string;
  /** abrlab version. */
  version: string;
  /** Command line that produced the results. */
  command: string;
  seed: number | string;
  /** The scenario file as given. */
  scenarioText?: string;
  /** Scenario description. */
  description?: string;
}

/** The group (one colour, one table row) a session belongs to: its policy, and its variant if it has one. */
export function defaultGroupOf(r: ReportSession): string {
  return r.variant !== undefined && r.variant !== '' ? `${r.policy} · ${r.variant}` : r.policy;
}

/**
 * A session's identity, stable across runs: profile, policy, variant, trace, video, seed and replicate. Two
 * results with the same key are the same simulation (the simulator is deterministic), which is how a timeline
 * kept elsewhere (timelines.jsonl) is matched to a result.
 */
export function sessionKey(r: ReportSession): string {
  return JSON.stringify([r.profile, r.policy, r.variant ?? null, r.trace, r.video, String(r.seed), r.replicate ?? null]);
}
