/** Sample moments and ranks shared by the tests in this folder. */

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Unbiased sample variance (divisor n − 1, as R's `var`); NaN below two values. Two-pass for accuracy. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (values.length - 1);
}

/** Sample standard deviation (divisor n − 1). */
export function sampleSd(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}

/**
 * Mid-ranks (1-based; tied values share the mean of the ranks they span, R's `rank(ties.method = "average")`),
 * and the sizes of the tie groups (for the variance corrections of the rank tests).
 */
export function midRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length).fill(0);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/** Σ (t³ − t) over tie groups: the tie term of the rank-test variances. */
export function tieTerm(tieSizes: readonly number[]): number {
  let s = 0;
  for (const t of tieSizes) s += t * t * t - t;
  return s;
}

/**
 * Quantile of sorted values, Hyndman–Fan type 7 (R's and numpy's default), as in summary.json
 * (src/experiment/aggregate.ts), so bootstrap bounds read like the rest of the figures.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
