import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { cohensDz, hedgesG } from '../../../src/experiment/stats/effect-size.js';
import { holmAdjust } from '../../../src/experiment/stats/holm.js';
import { pairedPermutationTest } from '../../../src/experiment/stats/permutation.js';
import { mannWhitneyU, signedRankCdf, wilcoxonSignedRank } from '../../../src/experiment/stats/rank-tests.js';
import { welchLowerBound, welchT } from '../../../src/experiment/stats/welch.js';
import { HW_X, HW_Y, SLEEP_GROUP1, SLEEP_GROUP2 } from './fixtures.js';

const diff = (a: number[], b: number[]): number[] => a.map((v, i) => v - (b[i] as number));

describe('Wilcoxon signed-rank', () => {
  it('exact: Hollander & Wolfe p. 29 (R ?wilcox.test: V = 40, one-sided p = 0.01953)', () => {
    // By hand: differences' absolute ranks 1…9, negatives hold ranks 2 and 3, so V = 45 − 5 = 40.
    // P(V ≥ 40) = P(V ≤ 5) = #{subsets of 1…9 with sum ≤ 5} / 2⁹ = 10/512; two-sided 20/512.
    const r = wilcoxonSignedRank(diff(HW_X, HW_Y));
    expect(r.statistic).toBe(40);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(20 / 512, 14);
  });
  it('exact null distribution counts subsets by hand (n = 3: sums 0,1,2,3,3,4,5,6)', () => {
    expect(signedRankCdf(2, 3)).toBeCloseTo(3 / 8, 15);
    expect(signedRankCdf(3, 3)).toBeCloseTo(5 / 8, 15);
    expect(signedRankCdf(6, 3)).toBe(1);
  });
  it('normal approximation with ties and a zero: R sleep paired example (V = 0, p = 0.009091)', () => {
    const r = wilcoxonSignedRank(diff(SLEEP_GROUP1, SLEEP_GROUP2));
    expect(r.statistic).toBe(0);
    expect(r.zeros).toBe(1);
    expect(r.n).toBe(9);
    expect(r.method).toBe('normal');
    expect(r.pValue).toBeCloseTo(0.009090698015925044, 9);
  });
  it('tie and continuity corrections computed by hand', () => {
    // d = 1,2,2,3,−1,4,0,5: zero dropped (n = 7); |d| mid-ranks 1.5,3.5,3.5,5,1.5,6,7; V = 26.5; E = 14;
    // Var = 7·8·15/24 − (6 + 6)/48 = 34.75; z = (26.5 − 14 − 0.5)/√34.75 = 2.03563; p = 2(1 − Φ(z)) = 0.041785.
    const r = wilcoxonSignedRank([1, 2, 2, 3, -1, 4, 0, 5]);
    expect(r.statistic).toBe(26.5);
    expect(r.pValue).toBeCloseTo(0.04178516840392211, 9);
  });
  it('all-zero differences give p = 1', () => {
    expect(wilcoxonSignedRank([0, 0, 0]).pValue).toBe(1);
  });
});

describe('Mann–Whitney U', () => {
  it('R: wilcox.test(extra ~ group, data = sleep) gives W = 25.5, p = 0.06933', () => {
    // Our U is the treatment's: group 2 as treatment gives 10·10 − 25.5 = 74.5.
    const r = mannWhitneyU({ control: SLEEP_GROUP1, treatment: SLEEP_GROUP2 });
    expect(r.statistic).toBe(74.5);
    expect(r.pValue).toBeCloseTo(0.06932757543362658, 9);
    expect(mannWhitneyU({ control: SLEEP_GROUP2, treatment: SLEEP_GROUP1 }).statistic).toBe(25.5);
  });
});

describe('Welch t', () => {
  it('R: t.test(extra ~ group, data = sleep) gives t = −1.8608, df = 17.776, p = 0.07939', () => {
    const r = welchT({ control: SLEEP_GROUP2, treatment: SLEEP_GROUP1 });
    expect(r.t).toBeCloseTo(-1.8608134674868526, 10);
    expect(r.df).toBeCloseTo(17.776473516178488, 9);
    expect(r.pValue).toBeCloseTo(0.0793941401873583, 9);
  });
  it('one-sided lower bound = difference − qt(0.95, df) · SE', () => {
    // R: t.test(group 1, group 2, alternative = "greater")$conf.int[1] (SciPy 1.17 ttest_ind(..., equal_var =
    // False, alternative = 'greater').confidence_interval(): −3.053381) = −1.58 − qt(0.95, 17.776) · SE
    // = −1.58 − 1.735246 · 0.849091.
    const m = (v: number[]): { n: number; mean: number; sd: number } => {
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      return { n: v.length, mean: mu, sd: Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1)) };
    };
    expect(welchLowerBound({ control: m(SLEEP_GROUP2), treatment: m(SLEEP_GROUP1) }, 0.95)).toBeCloseTo(-3.053381497331606, 9);
  });
});

describe('effect sizes', () => {
  it("Cohen's dz of the sleep differences: 1.58 / 1.2300 = 1.28456", () => {
    expect(cohensDz(diff(SLEEP_GROUP2, SLEEP_GROUP1))).toBeCloseTo(1.2845575625910546, 10);
  });
  it("Hedges' g of the sleep groups: 1.58 / 1.8986 · (1 − 3/71) = 0.79702", () => {
    expect(hedgesG({ control: SLEEP_GROUP1, treatment: SLEEP_GROUP2 })).toBeCloseTo(0.7970185004474464, 10);
  });
  it('zero spread: 0 for no difference, infinite otherwise', () => {
    expect(cohensDz([0, 0, 0])).toBe(0);
    expect(cohensDz([2, 2])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Holm', () => {
  it('by hand (R p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02)', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
  });
  it('caps at 1 and leaves NaN out of the family', () => {
    const adj = holmAdjust([0.4, Number.NaN, 0.5]);
    expect(adj[0]).toBeCloseTo(0.8, 14);
    expect(adj[1]).toBeNaN();
    expect(adj[2]).toBeCloseTo(0.8, 14);
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]);
  });
});

describe('paired permutation test', () => {
  it('exact enumeration by hand: d = 1,2,3 → |sum| ≥ 6 in 2 of 8 sign patterns', () => {
    const r = pairedPermutationTest([1, 2, 3], { permutations: 1000, rng: createRng(1) });
    expect(r.method).toBe('exact');
    expect(r.pValue).toBe(0.25);
    expect(r.statistic).toBe(2);
  });
  it('exact, with ties between flipped sums: d = 1,1,2 → |sum| ≥ 4 in 2 of 8', () => {
    // Sums: ±4 (2 patterns), ±2 (4 patterns: flip one 1 or flip the 2 … ) and 0 (2 patterns).
    expect(pairedPermutationTest([1, 1, 2], { permutations: 1000, rng: createRng(1) }).pValue).toBe(0.25);
  });
  it('Monte Carlo agrees with the exact p within sampling error, and is seeded', () => {
    const d = [0.3, -0.1, 0.5, 0.2, 0.4, -0.2, 0.6, 0.1, 0.3, 0.2, -0.05, 0.25];
    const exact = pairedPermutationTest(d, { permutations: 4096, rng: createRng(1) });
    expect(exact.method).toBe('exact');
    const mc = pairedPermutationTest(d, { permutations: 4000, rng: createRng(7) });
    expect(mc.method).toBe('monte-carlo');
    // SE of a Monte Carlo proportion near p is √(p(1 − p)/B); allow 4 SE.
    expect(Math.abs(mc.pValue - exact.pValue)).toBeLessThan(4 * Math.sqrt((exact.pValue * (1 - exact.pValue)) / 4000) + 1 / 4000);
    expect(pairedPermutationTest(d, { permutations: 4000, rng: createRng(7) }).pValue).toBe(mc.pValue);
  });
});
