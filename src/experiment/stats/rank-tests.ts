/**
 * Rank tests, two-sided, computed as R's `wilcox.test` computes them (with its default `correct = TRUE`), so a
 * user can check a figure in R:
 *
 * - Wilcoxon signed-rank (paired). Zero differences are dropped before ranking (Wilcoxon's convention, R's
 *   default; Pratt's alternative keeps them in the ranking). Exact null distribution when fewer than 50
 *   non-zero differences remain and none of their absolute values tie (R's rule); otherwise the normal
 *   approximation with the tie correction of the variance and a continuity correction of ½.
 * - Mann–Whitney U (unpaired, Wilcoxon rank-sum): the normal approximation with tie and continuity corrections.
 *   (R switches to the exact distribution for small samples without ties; the population-split design this
 *   serves has hundreds of sessions per arm, where the two agree.)
 */
import { normalCdf } from '../../stats/distributions.js';
import { midRanks, tieTerm } from './descriptive.js';

export interface SignedRankResult {
  /** V: the sum of the ranks of the positive differences (R's `V`). */
  statistic: number;
  /** Non-zero differences ranked. */
  n: number;
  /** Zero differences dropped. */
  zeros: number;
  method: 'exact' | 'normal';
  /** Two-sided p-value; 1 when every difference is zero (no evidence either way). */
  pValue: number;
}

/** Largest n for which the exact distribution is used (R: `n < 50`). */
export const SIGNED_RANK_EXACT_MAX_N = 49;

/**
 * P(V ≤ q) under H0 for n untied ranks: the number of subsets of {1…n} with sum ≤ q over 2ⁿ, counted by dynamic
 * programming over the sums (R's `psignrank`). Counts stay exact in doubles up to n = 49 (2⁴⁹ < 2⁵³).
 */
export function signedRankCdf(q: number, n: number): number {
  const maxSum = (n * (n + 1)) / 2;
  if (q < 0) return 0;
  if (q >= maxSum) return 1;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s] = (counts[s] as number) + (counts[s - k] as number);
  }
  let below = 0;
  for (let s = 0; s <= Math.floor(q); s++) below += counts[s] as number;
  return below / 2 ** n;
}

/** Wilcoxon signed-rank test of the paired differences (treatment − control) against a zero median. */
export function wilcoxonSignedRank(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0);
  const zeros = differences.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) return { statistic: 0, n: 0, zeros, method: 'exact', pValue: 1 };
  const { ranks, tieSizes } = midRanks(nonZero.map(Math.abs));
  let v = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) v += ranks[i] as number;
  });
  const centre = (n * (n + 1)) / 4;
  if (n <= SIGNED_RANK_EXACT_MAX_N && tieSizes.length === 0 && zeros === 0) {
    const oneSided = v > centre ? 1 - signedRankCdf(v - 1, n) : signedRankCdf(v, n);
    return { statistic: v, n, zeros, method: 'exact', pValue: Math.min(1, 2 * oneSided) };
  }
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm(tieSizes) / 48);
  const dev = v - centre;
  const z = (dev - Math.sign(dev) * 0.5) / sigma;
  return { statistic: v, n, zeros, method: 'normal', pValue: Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z))) };
}

export interface MannWhitneyResult {
  /** U of the treatment arm: W − n_t(n_t + 1)/2, where W is the treatment's rank sum (R's `W` with x = treatment). */
  statistic: number;
  nControl: number;
  nTreatment: number;
  /** Two-sided p-value, normal approximation; NaN when an arm is empty. */
  pValue: number;
}

/** Mann–Whitney U test of treatment against control. */
export function mannWhitneyU(arms: { control: readonly number[]; treatment: readonly number[] }): MannWhitneyResult {
  const nT = arms.treatment.length;
  const nC = arms.control.length;
  if (nT === 0 || nC === 0) return { statistic: Number.NaN, nControl: nC, nTreatment: nT, pValue: Number.NaN };
  const { ranks, tieSizes } = midRanks([...arms.treatment, ...arms.control]);
  let w = 0;
  for (let i = 0; i < nT; i++) w += ranks[i] as number;
  const u = w - (nT * (nT + 1)) / 2;
  const n = nT + nC;
  const sigma = Math.sqrt(((nT * nC) / 12) * (n + 1 - tieTerm(tieSizes) / (n * (n - 1))));
  if (sigma === 0) return { statistic: u, nControl: nC, nTreatment: nT, pValue: 1 };
  const dev = u - (nT * nC) / 2;
  const z = (dev - Math.sign(dev) * 0.5) / sigma;
  return { statistic: u, nControl: nC, nTreatment: nT, pValue: Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z))) };
}
