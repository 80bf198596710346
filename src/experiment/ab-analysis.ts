/**
 * The A/B analysis of `abrlab ab`, as a pure function of result rows: pairing (or the population split), per
 * metric the mean difference, a seeded bootstrap interval, a p-value, an effect size, Holm's correction across
 * metrics × treatment arms, and the reference rollout decision (shared/reference/streaming-architecture.md §6.2:
 * roll out when QoE improves by more than 2 % and the improvement is significant; otherwise keep).
 *
 * Paired design: sessions pair by (video, trace, replicate), the key the runner draws a user from, so both arms
 * saw the same network and the same seed. The statistics work on per-pair differences (treatment − control):
 * bootstrap over pairs, Wilcoxon signed-rank or the sign-flip permutation test, Cohen's dz.
 *
 * Population split: each user (video, trace, replicate) is hashed into exactly one arm by the arms' shares, as
 * the reference's `hash_user(user_id) % 10 == 0` does (90 % control / 10 % treatment); only that arm's session
 * of the user counts. The statistics are the unpaired ones: bootstrap of each arm, Mann–Whitney U (with
 * `test: wilcoxon`) or Welch's t (with `test: permutation`, the mean-based test), Hedges' g.
 */
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import type { ReportSession } from '../report/types.js';
import type { AbArm, AbComparison, AbDecision, AbMetricResult, AbPairDiff, AbResult, AbTest } from './ab-types.js';
import { HIGHER_IS_BETTER, metricValue } from './ab-metrics.js';
import type { SummaryMetric } from './aggregate.js';
import { bootstrapMeanDiffInterval, bootstrapMeanInterval } from './stats/bootstrap.js';
import { mean } from './stats/descriptive.js';
import { cohensDz, hedgesG } from './stats/effect-size.js';
import { holmAdjust } from './stats/holm.js';
import { pairedPermutationTest } from './stats/permutation.js';
import { mannWhitneyU, wilcoxonSignedRank } from './stats/rank-tests.js';
import { welchT } from './stats/welch.js';

/** An arm as resolved against the results: which rows belong to it. */
export interface AbArmSpec {
  name: string;
  policy: string;
  variant?: string;
  /** population-split: share of users, 0–1. */
  share?: number;
}

export interface AbAnalysisInput {
  rows: readonly ReportSession[];
  /** The control first. */
  arms: readonly AbArmSpec[];
  design: 'paired' | 'population-split';
  /** Metrics analysed (the rollout metric among them). */
  metrics: readonly SummaryMetric[];
  alpha: number;
  bootstrapResamples: number;
  test: 'wilcoxon' | 'permutation';
  permutations: number;
  rollout: { metric: SummaryMetric; minImprovementPct: number };
  seed: number | string;
  /** Named in errors. */
  file: string;
  meta: { abrlab: string; scenario: string; command: string };
}

const CONFIDENCE = 0.95;

/** The user a session belongs to: the key the runner draws a user's seed, device and behaviour from. */
export function userKey(r: ReportSession): string {
  return JSON.stringify([r.video, r.trace, r.replicate ?? 0]);
}

function inArm(r: ReportSession, arm: AbArmSpec): boolean {
  return r.policy === arm.policy && (r.variant ?? undefined) === arm.variant;
}

/**
 * The arm a user is hashed into: a uniform draw from a stream derived from (scenario seed, user key), placed on
 * the arms' cumulative shares. Deterministic, independent of the order of sessions, and a user keeps their arm
 * when other users are added (a hash, not a shuffle).
 */
export function splitArm(seed: number | string, key: string, shares: readonly number[]): number {
  const u = createRng(seed).derive(`ab-split/${key}`).next();
  let cumulative = 0;
  for (let i = 0; i < shares.length; i++) {
    cumulative += shares[i] as number;
    if (u < cumulative) return i;
  }
  return shares.length - 1;
}

export function analyseAb(input: AbAnalysisInput): AbResult {
  const [control, ...treatments] = input.arms;
  if (control === undefined || treatments.length === 0) throw new InputError('an A/B needs a control and at least one treatment arm', { file: input.file, field: 'ab.arms' });
  const bootstrapSeed = `${input.seed}/ab-bootstrap`;
  const byArm = input.arms.map((arm) => input.rows.filter((r) => inArm(r, arm)));
  input.arms.forEach((arm, i) => {
    if ((byArm[i] as ReportSession[]).length === 0) {
      const what = arm.variant === undefined ? `policy "${arm.policy}"` : `policy "${arm.policy}" under variant "${arm.variant}"`;
      throw new InputError(`arm "${arm.name}" (${what}) has no sessions in the results`, { file: input.file, field: 'ab.arms' });
    }
  });

  let armRows = byArm;
  if (input.design === 'population-split') {
    const shares = input.arms.map((a) => a.share ?? Number.NaN);
    armRows = byArm.map((rows, i) => rows.filter((r) => splitArm(input.seed, userKey(r), shares) === i));
  }

  const drafts = treatments.map((arm, t) => {
    const controlRows = armRows[0] as ReportSession[];
    const treatmentRows = armRows[t + 1] as ReportSession[];
    return input.design === 'paired'
      ? pairedComparison({ input, control, arm, controlRows, treatmentRows, bootstrapSeed })
      : splitComparison({ input, control, arm, controlRows, treatmentRows, bootstrapSeed });
  });

  const adjusted = holmAdjust(drafts.flatMap((d) => d.metrics.map((m) => m.pValue)));
  let k = 0;
  const comparisons: AbComparison[] = drafts.map((d) => {
    const metrics = d.metrics.map((m) => finishMetric(m, adjusted[k++] as number, input.alpha));
    return { ...d, metrics, decision: decide(metrics, input) };
  });

  const arms: AbArm[] = input.arms.map((a, i) => ({
    name: a.name,
    policy: a.policy,
    ...(a.variant === undefined ? {} : { variant: a.variant }),
    sessions: (armRows[i] as ReportSession[]).length,
    ...(input.design === 'population-split' && a.share !== undefined ? { share: a.share } : {}),
  }));
  return {
    kind: 'ab',
    ...input.meta,
    seed: input.seed,
    design: input.design,
    alpha: input.alpha,
    bootstrap: { resamples: input.bootstrapResamples, seed: bootstrapSeed },
    arms,
    control: control.name,
    holmFamilySize: adjusted.filter((p) => !Number.isNaN(p)).length,
    comparisons,
  };
}

type MetricDraft = Omit<AbMetricResult, 'pHolm' | 'significant' | 'verdict'>;
interface ComparisonArgs {
  input: AbAnalysisInput;
  control: AbArmSpec;
  arm: AbArmSpec;
  controlRows: ReportSession[];
  treatmentRows: ReportSession[];
  bootstrapSeed: string;
}
type ComparisonDraft = Omit<AbComparison, 'metrics' | 'decision'> & { metrics: MetricDraft[] };

function relative(diff: number, base: number): number | null {
  return base === 0 || !Number.isFinite(base) ? null : (diff / Math.abs(base)) * 100;
}

function tooFew(args: ComparisonArgs, what: string): InputError {
  return new InputError(
    `arms "${args.control.name}" and "${args.arm.name}": ${what}; the statistics need at least 2 (add traces or replicates)`,
    { file: args.input.file, field: 'ab' },
  );
}

function pairedComparison(args: ComparisonArgs): ComparisonDraft {
  const { input } = args;
  const treatmentByKey = new Map<string, ReportSession>();
  for (const r of args.treatmentRows) if (!treatmentByKey.has(userKey(r))) treatmentByKey.set(userKey(r), r);
  const matched: [ReportSession, ReportSession][] = [];
  const seen = new Set<string>();
  for (const c of args.controlRows) {
    const key = userKey(c);
    const t = treatmentByKey.get(key);
    if (t === undefined || seen.has(key)) continue;
    seen.add(key);
    matched.push([c, t]);
  }
  const unmatched = args.controlRows.length + args.treatmentRows.length - 2 * matched.length;
  if (matched.length < 2) throw tooFew(args, `${matched.length} matched pair(s)`);

  const pairs: AbPairDiff[] = matched.map(([c, t]) => ({
    trace: c.trace,
    video: c.video,
    replicate: c.replicate ?? 0,
    seed: c.seed,
    diff: Object.fromEntries(input.metrics.map((m) => [m, metricValue(t, m) - metricValue(c, m)])),
  }));

  const metrics = input.metrics.map((metric): MetricDraft => {
    const usable = matched.filter(([c, t]) => Number.isFinite(metricValue(c, metric)) && Number.isFinite(metricValue(t, metric)));
    const cv = usable.map(([c]) => metricValue(c, metric));
    const tv = usable.map(([, t]) => metricValue(t, metric));
    const diffs = tv.map((v, i) => v - (cv[i] as number));
    const controlMean = mean(cv);
    const meanDiff = mean(diffs);
    const ci = bootstrapMeanInterval(diffs, { level: CONFIDENCE, resamples: input.bootstrapResamples, rng: createRng(args.bootstrapSeed).derive(`${args.arm.name}/${metric}`) });
    const tested =
      input.test === 'wilcoxon'
        ? { test: 'wilcoxon-signed-rank' as AbTest, pValue: wilcoxonSignedRank(diffs).pValue }
        : {
            test: 'paired-permutation' as AbTest,
            pValue: pairedPermutationTest(diffs, { permutations: input.permutations, rng: createRng(input.seed).derive(`ab-permutation/${args.arm.name}/${metric}`) }).pValue,
          };
    return {
      metric,
      higherIsBetter: HIGHER_IS_BETTER[metric],
      n: diffs.length,
      nControl: diffs.length,
      nTreatment: diffs.length,
      controlMean,
      treatmentMean: mean(tv),
      meanDiff,
      relativeDiffPct: relative(meanDiff, controlMean),
      ci: { low: ci.low, high: ci.high, level: ci.level, method: 'bootstrap-percentile', resamples: ci.resamples },
      ...tested,
      effectSize: { kind: 'cohens-dz', value: cohensDz(diffs) },
    };
  });
  return { control: args.control.name, treatment: args.arm.name, metrics, pairs, unmatched };
}

function splitComparison(args: ComparisonArgs): ComparisonDraft {
  const { input } = args;
  if (args.controlRows.length < 2 || args.treatmentRows.length < 2) {
    throw tooFew(args, `the split put ${args.controlRows.length} user(s) in "${args.control.name}" and ${args.treatmentRows.length} in "${args.arm.name}"`);
  }
  const metrics = input.metrics.map((metric): MetricDraft => {
    const control = args.controlRows.map((r) => metricValue(r, metric)).filter(Number.isFinite);
    const treatment = args.treatmentRows.map((r) => metricValue(r, metric)).filter(Number.isFinite);
    const controlMean = mean(control);
    const treatmentMean = mean(treatment);
    const meanDiff = treatmentMean - controlMean;
    const ci = bootstrapMeanDiffInterval({ control, treatment }, { level: CONFIDENCE, resamples: input.bootstrapResamples, rng: createRng(args.bootstrapSeed).derive(`${args.arm.name}/${metric}`) });
    const tested =
      input.test === 'wilcoxon'
        ? { test: 'mann-whitney-u' as AbTest, pValue: mannWhitneyU({ control, treatment }).pValue }
        : { test: 'welch-t' as AbTest, pValue: welchT({ control, treatment }).pValue };
    return {
      metric,
      higherIsBetter: HIGHER_IS_BETTER[metric],
      n: Math.min(control.length, treatment.length),
      nControl: control.length,
      nTreatment: treatment.length,
      controlMean,
      treatmentMean,
      meanDiff,
      relativeDiffPct: relative(meanDiff, controlMean),
      ci: { low: ci.low, high: ci.high, level: ci.level, method: 'bootstrap-percentile', resamples: ci.resamples },
      ...tested,
      effectSize: { kind: 'hedges-g', value: hedgesG({ control, treatment }) },
    };
  });
  return { control: args.control.name, treatment: args.arm.name, metrics, pairs: [], unmatched: 0 };
}

function finishMetric(m: MetricDraft, pHolm: number, alpha: number): AbMetricResult {
  const significant = pHolm < alpha;
  const improved = m.higherIsBetter ? m.meanDiff > 0 : m.meanDiff < 0;
  return { ...m, pHolm, significant, verdict: !significant || m.meanDiff === 0 ? 'no-change' : improved ? 'better' : 'worse' };
}

const fmtPct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/**
 * The reference rule, per treatment arm: roll out when the rollout metric improves by more than the threshold
 * (relative to the control mean, in the metric's better direction) and the improvement is significant: Holm p <
 * alpha and the bootstrap interval excludes 0 on the improving side. Otherwise keep the control.
 */
export function decide(metrics: readonly AbMetricResult[], input: Pick<AbAnalysisInput, 'rollout' | 'alpha'>): AbDecision {
  const { metric, minImprovementPct: thresholdPct } = input.rollout;
  const m = metrics.find((x) => x.metric === metric);
  if (m === undefined) throw new RangeError(`rollout metric ${metric} was not analysed`);
  const sign = m.higherIsBetter ? 1 : -1;
  const improvementPct = m.relativeDiffPct === null ? null : sign * m.relativeDiffPct;
  const ciImproves = m.higherIsBetter ? m.ci.low > 0 : m.ci.high < 0;
  const significant = m.pHolm < input.alpha && ciImproves;
  const base = { metric, improvementPct, thresholdPct, significant };
  if (improvementPct === null) return { ...base, action: 'keep', reason: `${metric}: the control mean is 0, so the relative change is undefined: keep` };
  const change = `${metric} ${fmtPct(improvementPct)}`;
  const pText = `Holm p = ${fmtP(m.pHolm)}`;
  if (!(improvementPct > thresholdPct)) {
    const worse = improvementPct < 0 && m.pHolm < input.alpha ? 'significantly worse' : `not above ${thresholdPct} %`;
    return { ...base, action: 'keep', reason: `${change} (${worse}), ${pText}: keep` };
  }
  if (!significant) {
    const why = m.pHolm < input.alpha ? `the 95 % interval [${m.ci.low.toPrecision(3)}, ${m.ci.high.toPrecision(3)}] includes 0` : `${pText} ≥ ${input.alpha}`;
    return { ...base, action: 'keep', reason: `${change} (> ${thresholdPct} %) but not significant (${why}): keep` };
  }
  return { ...base, action: 'rollout', reason: `${change} (> ${thresholdPct} %), ${pText} < ${input.alpha}: roll out` };
}
