/**
 * Welch's unequal-variance t test (B. L. Welch, "The generalization of Student's problem when several different
 * population variances are involved", Biometrika 34, 1947), two-sided, as R's `t.test(x, y)` (var.equal = FALSE):
 * t = (x̄_t − x̄_c) / √(s_t²/n_t + s_c²/n_c), with the Welch–Satterthwaite degrees of freedom. Works from
 * moments only, so the gate can test a run against a baseline that kept just n, mean and SD per metric.
 */
import { mean, sampleVariance } from './descriptive.js';
import { studentTQuantile, studentTSurvival } from '../../stats/distributions.js';

/** What a sample contributes to Welch's test. */
export interface SampleMoments {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1). */
  sd: number;
}

export interface WelchResult {
  /** t statistic of treatment − control; NaN when both variances are 0 and the means are equal. */
  t: number;
  df: number;
  /** Difference of means, treatment − control. */
  meanDiff: number;
  /** Standard error of the difference. */
  se: number;
  /** Two-sided p-value. */
  pValue: number;
}

export function momentsOf(values: readonly number[]): SampleMoments {
  return { n: values.length, mean: mean(values), sd: Math.sqrt(sampleVariance(values)) };
}

/** Welch's t test from two samples' moments. Both need n ≥ 2 (else NaN figures). */
export function welchTFromMoments(arms: { control: SampleMoments; treatment: SampleMoments }): WelchResult {
  const { control: c, treatment: t } = arms;
  const vc = (c.sd * c.sd) / c.n;
  const vt = (t.sd * t.sd) / t.n;
  const se = Math.sqrt(vc + vt);
  const meanDiff = t.mean - c.mean;
  const df = ((vc + vt) * (vc + vt)) / ((vc * vc) / (c.n - 1) + (vt * vt) / (t.n - 1));
  if (c.n < 2 || t.n < 2) return { t: Number.NaN, df: Number.NaN, meanDiff, se: Number.NaN, pValue: Number.NaN };
  if (se === 0) {
    // Both arms constant: any difference is certain, no difference is no evidence.
    return { t: meanDiff === 0 ? Number.NaN : Math.sign(meanDiff) * Number.POSITIVE_INFINITY, df: Number.NaN, meanDiff, se, pValue: meanDiff === 0 ? 1 : 0 };
  }
  const stat = meanDiff / se;
  return { t: stat, df, meanDiff, se, pValue: Math.min(1, 2 * studentTSurvival(Math.abs(stat), df)) };
}

/** Welch's t test of two samples. */
export function welchT(arms: { control: readonly number[]; treatment: readonly number[] }): WelchResult {
  return welchTFromMoments({ control: momentsOf(arms.control), treatment: momentsOf(arms.treatment) });
}

/**
 * One-sided lower confidence bound of mean(treatment) − mean(control) at `confidence` (e.g. 0.95): difference −
 * t(confidence, Welch df) · SE. The non-inferiority check of the gate: the run is non-inferior when this bound
 * (taken in the better direction) clears −margin. With both SDs 0 the bound is the difference itself.
 */
export function welchLowerBound(arms: { control: SampleMoments; treatment: SampleMoments }, confidence: number): number {
  const r = welchTFromMoments(arms);
  if (r.se === 0) return r.meanDiff;
  return r.meanDiff - studentTQuantile(confidence, r.df) * r.se;
}
