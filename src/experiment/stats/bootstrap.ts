/**
 * Percentile bootstrap confidence intervals of a mean and of a difference of means (B. Efron and R. Tibshirani,
 * "An Introduction to the Bootstrap", 1993, §13.3): draw `resamples` samples with replacement, compute the
 * statistic on each, and take its (1 − level)/2 and (1 + level)/2 quantiles (type 7, as summary.json).
 *
 * - Paired designs resample whole pairs: the statistic is the mean of the per-pair differences, so
 *   `bootstrapMeanInterval(differences)`. Keeping pairs together is what carries the pairing into the interval.
 * - Unpaired designs (population split) resample each arm on its own, with its own size
 *   (`bootstrapMeanDiffInterval`).
 *
 * Randomness comes only from the injected `Rng` (src/core/rng.ts), so a seed gives the same bounds on every
 * machine. Percentile intervals need no normality, which matters for QoE and rebuffering (skewed, often zero).
 */
import type { Rng } from '../../core/rng.js';
import { quantileSorted } from './descriptive.js';

export interface BootstrapOptions {
  /** Confidence level, e.g. 0.95. */
  level: number;
  /** Bootstrap draws (the reference default is 2000 in the scenario's `ab.bootstrapResamples`). */
  resamples: number;
  rng: Rng;
}

export interface BootstrapInterval {
  low: number;
  high: number;
  level: number;
  resamples: number;
}

function check(opts: BootstrapOptions): void {
  if (!(opts.level > 0 && opts.level < 1)) throw new RangeError(`bootstrap level must be in (0, 1), got ${opts.level}`);
  if (!(Number.isInteger(opts.resamples) && opts.resamples >= 1)) throw new RangeError(`bootstrap resamples must be a positive integer, got ${opts.resamples}`);
}

/** Mean of one resample of `values` (n draws with replacement). */
function resampleMean(values: readonly number[], rng: Rng): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[rng.int(n)] as number;
  return sum / n;
}

function interval(stats: Float64Array, opts: BootstrapOptions): BootstrapInterval {
  stats.sort();
  const tail = (1 - opts.level) / 2;
  return { low: quantileSorted(stats, tail), high: quantileSorted(stats, 1 - tail), level: opts.level, resamples: opts.resamples };
}

/** Percentile interval of the mean of `values` (paired: pass the per-pair differences). NaN bounds when empty. */
export function bootstrapMeanInterval(values: readonly number[], opts: BootstrapOptions): BootstrapInterval {
  check(opts);
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN, level: opts.level, resamples: opts.resamples };
  // One typed array of statistics, no per-draw allocation: 2000 resamples × 10,000 pairs stays cheap.
  const stats = new Float64Array(opts.resamples);
  for (let b = 0; b < opts.resamples; b++) stats[b] = resampleMean(values, opts.rng);
  return interval(stats, opts);
}

/** Percentile interval of mean(treatment) − mean(control), each arm resampled independently. */
export function bootstrapMeanDiffInterval(
  arms: { control: readonly number[]; treatment: readonly number[] },
  opts: BootstrapOptions,
): BootstrapInterval {
  check(opts);
  if (arms.control.length === 0 || arms.treatment.length === 0) {
    return { low: Number.NaN, high: Number.NaN, level: opts.level, resamples: opts.resamples };
  }
  const stats = new Float64Array(opts.resamples);
  for (let b = 0; b < opts.resamples; b++) stats[b] = resampleMean(arms.treatment, opts.rng) - resampleMean(arms.control, opts.rng);
  return interval(stats, opts);
}
