/**
 * Types of the CI gate (`abrlab gate`): what it adds to summary.json so that a summary can serve as a baseline,
 * and the result of comparing a run with one.
 *
 * summary.json as a baseline. Every summary has `policies[]` (src/experiment/aggregate.ts: per group its
 * `sessions` and per metric mean, median, p5, p95, min, max): enough for `maxDrop` / `maxDropPct` rules on any of
 * those stats. Non-inferiority needs the spread too, so `abrlab gate` writes two more fields into the summary.json
 * of its run (and so into the baseline that `--update-baseline` stores):
 *
 * - `moments`: per group, per metric `{n, mean, sd}` (sd with divisor n − 1): the unpaired (Welch) bound.
 * - `sessionValues`: per group `{keys, values}`: the user key of each session (`[video, trace, replicate]`, the key
 *   the runner draws a user from) and per metric the session's value, in the same order. With it the gate pairs
 *   each session of the run with the baseline's session of the same user and bounds the mean of the per-user
 *   differences (a paired t bound), which is far tighter than the unpaired one: on the same traces and seeds an
 *   unchanged player differs by nothing. Written for groups of at most SESSION_VALUES_MAX_SESSIONS sessions.
 *
 * A summary from `abrlab run` has neither; non-inferiority rules then fail as bad input (exit 2) with the fix
 * (make the baseline with `abrlab gate --update-baseline`).
 */
import type { SummaryMetric } from './aggregate.js';

/** Per-metric moments of one group. */
export interface MetricMoments {
  n: number;
  mean: number;
  /** Sample SD (n − 1); NaN (null in JSON) below two sessions. */
  sd: number;
}

/** Per-session values of one group, for the paired non-inferiority bound. */
export interface GroupSessionValues {
  /** User keys, JSON `[video, trace, replicate]`. */
  keys: string[];
  /** Per metric id, one value per key (null in JSON where a session has no value). */
  values: Partial<Record<SummaryMetric, (number | null)[]>>;
}

/** Groups larger than this keep only their moments (a 100,000-session sweep would add megabytes). */
export const SESSION_VALUES_MAX_SESSIONS = 5000;

/** What `abrlab gate` adds to summary.json. */
export interface GateSummaryFields {
  moments: Record<string, Partial<Record<SummaryMetric, MetricMoments>>>;
  sessionValues: Record<string, GroupSessionValues>;
}

/** One criterion of a rule, checked on one group. */
export interface GateCriterion {
  kind: 'maxDrop' | 'maxDropPct' | 'nonInferiority';
  /** maxDrop: metric units; maxDropPct: %; nonInferiority: the margin, metric units. */
  limit: number;
  /**
   * maxDrop: the worsening (baseline → run, in metric units, positive = worse); maxDropPct: the same in % of the
   * baseline; nonInferiority: the one-sided lower confidence bound of the improvement (run − baseline in the
   * better direction), which must exceed −limit.
   */
  value: number;
  pass: boolean;
  /** nonInferiority only: how the bound was computed. */
  method?: 'paired-t' | 'welch-t';
  /** nonInferiority only: sessions (pairs for paired-t) behind the bound, and the confidence level. */
  n?: number;
  confidence?: number;
  /** One sentence with the figures. */
  detail: string;
}

/** One rule on one group: a JUnit test case. */
export interface GateCheck {
  /** Index of the rule in the scenario's gate.rules. */
  rule: number;
  group: string;
  metric: SummaryMetric;
  stat: 'mean' | 'median' | 'p5' | 'p95';
  direction: 'higher-is-better' | 'lower-is-better';
  baseline: number;
  current: number;
  /** current − baseline. */
  change: number;
  /** change / |baseline| × 100; null when the baseline is 0. */
  changePct: number | null;
  criteria: GateCriterion[];
  pass: boolean;
}

export interface GateResult {
  kind: 'gate';
  abrlab: string;
  scenario: string;
  command: string;
  /** The baseline summary.json compared with. */
  baselineFile: string;
  /** Groups checked (policy, or "policy · variant"). */
  groups: string[];
  checks: GateCheck[];
  pass: boolean;
}
