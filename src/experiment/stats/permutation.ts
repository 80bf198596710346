/**
 * Paired sign-flip permutation test of the mean difference, two-sided (R. A. Fisher, "The Design of
 * Experiments", 1935, §21). Under H0 (the arms are exchangeable within a pair) each difference is as likely to
 * have either sign, so the observed |mean| is compared with the |mean| of sign-flipped copies.
 *
 * - When 2ⁿ ≤ `permutations`, every sign pattern is enumerated: the exact p = #{|T*| ≥ |T|} / 2ⁿ.
 * - Otherwise a seeded Monte Carlo draw of `permutations` patterns, with p = (1 + #{|T*| ≥ |T|}) / (1 + B), which
 *   counts the observed pattern and so is never 0 (B. Phipson and G. K. Smyth, "Permutation p-values should
 *   never be zero", Stat. Appl. Genet. Mol. Biol. 9, 2010).
 *
 * Sums are compared with a relative tolerance of 1e-9 so that floating-point rounding of equal sums (flips of
 * equal differences) never turns a tie into a strict inequality.
 */
import type { Rng } from '../../core/rng.js';

export interface PermutationResult {
  /** Observed mean difference. */
  statistic: number;
  n: number;
  method: 'exact' | 'monte-carlo';
  /** Sign patterns evaluated (2ⁿ when exact). */
  permutations: number;
  pValue: number;
}

export function pairedPermutationTest(differences: readonly number[], opts: { permutations: number; rng: Rng }): PermutationResult {
  const n = differences.length;
  if (n === 0) return { statistic: Number.NaN, n, method: 'exact', permutations: 0, pValue: Number.NaN };
  let observed = 0;
  let scale = 0;
  for (const d of differences) {
    observed += d;
    scale += Math.abs(d);
  }
  const threshold = Math.abs(observed) - 1e-9 * scale;
  const statistic = observed / n;
  if (n <= 30 && 2 ** n <= opts.permutations) {
    const total = 2 ** n;
    let extreme = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += mask & (1 << i) ? -(differences[i] as number) : (differences[i] as number);
      if (Math.abs(s) >= threshold) extreme++;
    }
    return { statistic, n, method: 'exact', permutations: total, pValue: extreme / total };
  }
  let extreme = 0;
  for (let b = 0; b < opts.permutations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += opts.rng.next() < 0.5 ? -(differences[i] as number) : (differences[i] as number);
    if (Math.abs(s) >= threshold) extreme++;
  }
  return { statistic, n, method: 'monte-carlo', permutations: opts.permutations, pValue: (1 + extreme) / (1 + opts.permutations) };
}
