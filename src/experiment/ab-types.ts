/**
 * The output of `abrlab ab` (`ab.json`): the contract between the A/B analysis (src/experiment/ab-*.ts) and the
 * report that renders it. Add fields, never rename them.
 *
 * Two designs:
 * - `paired` (the default): every arm runs on the same traces with the same seeds, so each (trace, replicate) is a
 *   pair and the statistics work on per-pair differences (treatment − control). Pairing removes the trace-to-trace
 *   spread, which dominates ABR experiments (issue 5: on Pensieve's 142 test traces the per-trace difference has a
 *   third of the spread of either arm).
 * - `population-split`: the reference design's production rollout (shared/reference/streaming-architecture.md
 *   §6.2): users are hashed into arms (90 % control / 10 % treatment), each user sees one arm only, and the
 *   statistics are the unpaired ones.
 */

/** One arm of the experiment: a policy (with parameters) under a named variant of the player. */
export interface AbArm {
  /** Arm name as written in the scenario (`control`, `buffer-20s`, …); unique. */
  name: string;
  /** Policy label as it appears in results.jsonl. */
  policy: string;
  /** Variant name, when the arm is a variant of the player (absent: the scenario's base settings). */
  variant?: string;
  /** Sessions simulated for this arm. */
  sessions: number;
  /** population-split only: share of users hashed into this arm, 0–1 (the reference: 0.9 control, 0.1 treatment). */
  share?: number;
}

/** A two-sided confidence interval. */
export interface AbInterval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  /**
   * How it was computed: `bootstrap-percentile` (paired: resampling pairs; unpaired: resampling each arm
   * independently), with `resamples` draws from a PRNG seeded by `AbResult.bootstrap.seed`.
   */
  method: 'bootstrap-percentile';
  resamples: number;
}

/** The test behind `pValue`. */
export type AbTest =
  /**
   * Wilcoxon signed-rank, two-sided, zero differences dropped; exact for n < 50 without ties/zeros (R's rule),
   * else normal approximation with tie and continuity corrections.
   */
  | 'wilcoxon-signed-rank'
  /** Paired sign-flip permutation test of the mean difference (seeded Monte Carlo). */
  | 'paired-permutation'
  /** Mann–Whitney U (Wilcoxon rank-sum), two-sided, normal approximation with tie correction. */
  | 'mann-whitney-u'
  /** Welch's unequal-variance t test. */
  | 'welch-t';

/** Standardised effect size. */
export interface AbEffectSize {
  /**
   * `cohens-dz`: mean of the differences / their SD (paired). `hedges-g`: difference of means / pooled SD, with
   * Hedges' small-sample correction (unpaired).
   */
  kind: 'cohens-dz' | 'hedges-g';
  /** ±Infinity (null in JSON) when the SD is 0 but the difference is not; 0 when both are 0. */
  value: number;
}

/** One metric of one treatment-versus-control comparison. */
export interface AbMetricResult {
  /** Metric id (summary.json's names: `qoeReference`, `rebufferRatio`, `startupMs`, `avgBitrateKbps`, …). */
  metric: string;
  /** True when a larger value is better (QoE, bitrate); false for startup, rebuffering, switches. */
  higherIsBetter: boolean;
  /** Pairs (paired) or the smaller arm's session count (population-split) that entered the statistics. */
  n: number;
  /** population-split: sessions per arm. */
  nControl: number;
  nTreatment: number;
  controlMean: number;
  treatmentMean: number;
  /** treatmentMean − controlMean (paired: the mean of the per-pair differences, which is the same number). */
  meanDiff: number;
  /** meanDiff / |controlMean| × 100; null when the control mean is 0. */
  relativeDiffPct: number | null;
  /** Interval of meanDiff. */
  ci: AbInterval;
  test: AbTest;
  /** Raw two-sided p-value of `test`. */
  pValue: number;
  /** Holm–Bonferroni adjusted p-value over the family (every metric × every treatment arm). */
  pHolm: number;
  effectSize: AbEffectSize;
  /** pHolm < alpha. */
  significant: boolean;
  /** Direction of the change in user terms: better / worse / no significant change. */
  verdict: 'better' | 'worse' | 'no-change';
}

/** One pair's differences (paired design): the same trace and replicate (so the same seed) in both arms. */
export interface AbPairDiff {
  trace: string;
  /** The title (scenarios with several videos pair within a title). */
  video?: string;
  replicate: number;
  seed: number | string;
  /** treatment − control, per metric id. */
  diff: Record<string, number>;
}

/** The rollout decision for one treatment arm (reference §6.2). */
export interface AbDecision {
  action: 'rollout' | 'keep';
  /** One sentence with the figures, e.g. "QoE +3.1 % (> 2 %), Holm p = 0.004 < 0.05: roll out". */
  reason: string;
  /** The metric the rule reads (default `qoeReference`). */
  metric: string;
  /** Relative improvement of that metric, %; null when the control mean is 0. */
  improvementPct: number | null;
  /** Threshold of the rule, % (reference: 2). */
  thresholdPct: number;
  /** Whether the improvement is significant (Holm-adjusted p < alpha, and the CI excludes 0). */
  significant: boolean;
}

/** Treatment arm versus the control arm. */
export interface AbComparison {
  control: string;
  treatment: string;
  metrics: AbMetricResult[];
  /** Paired design only: one row per pair, in session order (empty for population-split). */
  pairs: AbPairDiff[];
  /** Pairs dropped because one side is missing (e.g. a failed session). */
  unmatched: number;
  decision: AbDecision;
}

/** ab.json. */
export interface AbResult {
  kind: 'ab';
  /** abrlab version. */
  abrlab: string;
  scenario: string;
  command: string;
  /** Scenario seed. */
  seed: number | string;
  design: 'paired' | 'population-split';
  /** Significance level of every test and of Holm's procedure (default 0.05). */
  alpha: number;
  bootstrap: { resamples: number; seed: string };
  /** Arm names: the control first. */
  arms: AbArm[];
  control: string;
  /** Size of the Holm family: metrics × treatment arms. */
  holmFamilySize: number;
  comparisons: AbComparison[];
}
