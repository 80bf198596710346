/**
 * Standardised effect sizes, so that a difference reads the same whatever the metric's unit (J. Cohen,
 * "Statistical Power Analysis for the Behavioral Sciences", 2nd ed., 1988; D. Lakens, "Calculating and reporting
 * effect sizes", Front. Psychol. 4:863, 2013, equations 4 and 6).
 */
import { mean, sampleVariance } from './descriptive.js';

/**
 * Cohen's d_z for paired data: mean of the differences / their SD (n − 1). 0 when every difference is 0;
 * ±Infinity when the differences are all equal and non-zero (the SD is 0). NaN below two pairs.
 */
export function cohensDz(differences: readonly number[]): number {
  if (differences.length < 2) return Number.NaN;
  const m = mean(differences);
  const sd = Math.sqrt(sampleVariance(differences));
  if (sd === 0) return m === 0 ? 0 : Math.sign(m) * Number.POSITIVE_INFINITY;
  return m / sd;
}

/**
 * Hedges' g for two independent samples: (mean_t − mean_c) / pooled SD, times the small-sample correction
 * J = 1 − 3 / (4 (n_t + n_c) − 9) (Hedges and Olkin, 1985, the approximation Lakens gives as eq. 4). Same
 * conventions as `cohensDz` for a zero SD; NaN unless each arm has at least two values.
 */
export function hedgesG(arms: { control: readonly number[]; treatment: readonly number[] }): number {
  const nC = arms.control.length;
  const nT = arms.treatment.length;
  if (nC < 2 || nT < 2) return Number.NaN;
  const diff = mean(arms.treatment) - mean(arms.control);
  const pooled = Math.sqrt(((nT - 1) * sampleVariance(arms.treatment) + (nC - 1) * sampleVariance(arms.control)) / (nT + nC - 2));
  if (pooled === 0) return diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  return (diff / pooled) * (1 - 3 / (4 * (nT + nC) - 9));
}
