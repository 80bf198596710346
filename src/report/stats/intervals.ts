/**
 * Confidence intervals used by the report. Both work from what a streaming pass keeps (moments, a quantile
 * sketch), so a 100,000-session run costs no more memory than a 10-session one.
 * - Mean: Student's t interval, mean ± t(1 − α/2, n − 1) · s / √n. By the central limit theorem it is
 *   accurate for the sample sizes of a sweep even though QoE is not normal; with n < 2 it is undefined (NaN).
 * - Quantiles (median, p5, p95): the distribution-free interval between two order statistics whose ranks are
 *   n·p ∓ z·√(n·p·(1 − p)), the normal approximation to the binomial count below the true quantile
 *   (W. J. Conover, "Practical Nonparametric Statistics", 3rd ed., 1999, §3.2). No bootstrap, so no resampling
 *   and no seed is needed; it is conservative where ranks are rounded outwards.
 */
import { normalQuantile, studentTQuantile } from '../../stats/distributions.js';

export interface Interval {
  low: number;
  high: number;
}

/** Default confidence level of every interval in the report. */
export const CONFIDENCE_LEVEL = 0.95;

/** Student's t interval for a mean. */
export function meanInterval(args: { mean: number; variance: number; count: number; level?: number }): Interval {
  const level = args.level ?? CONFIDENCE_LEVEL;
  if (args.count < 2 || !Number.isFinite(args.variance)) return { low: Number.NaN, high: Number.NaN };
  const t = studentTQuantile(1 - (1 - level) / 2, args.count - 1);
  const half = t * Math.sqrt(args.variance / args.count);
  return { low: args.mean - half, high: args.mean + half };
}

/**
 * 0-based ranks [lowRank, highRank] of the order statistics bounding quantile `p` of `count` values: 1-based
 * ranks floor(n·p − z·√(n·p·q)) and ceil(n·p + z·√(n·p·q)), clamped to 1…n, then shifted to 0-based.
 */
export function quantileIntervalRanks(args: { p: number; count: number; level?: number }): { lowRank: number; highRank: number } {
  const { p, count } = args;
  const z = normalQuantile(1 - (1 - (args.level ?? CONFIDENCE_LEVEL)) / 2);
  const centre = count * p;
  const spread = z * Math.sqrt(count * p * (1 - p));
  const low1 = Math.min(count, Math.max(1, Math.floor(centre - spread)));
  const high1 = Math.min(count, Math.max(1, Math.ceil(centre + spread)));
  return { lowRank: low1 - 1, highRank: high1 - 1 };
}
