import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { bootstrapMeanDiffInterval, bootstrapMeanInterval } from '../../../src/experiment/stats/bootstrap.js';

describe('bootstrap percentile intervals', () => {
  it('follow the exact bootstrap distribution of a tiny sample', () => {
    // Values 0, 0, 3: a resample's mean is k, the number of 3s drawn, k ~ Binomial(3, 1/3):
    // P(0) = 8/27 = 0.296, P(1) = 12/27, P(2) = 6/27, P(3) = 1/27 → cumulative 0.296, 0.741, 0.963, 1.
    // The 80 % interval's quantiles 0.1 and 0.9 fall inside the plateaus k = 0 and k = 2.
    const ci = bootstrapMeanInterval([0, 0, 3], { level: 0.8, resamples: 4000, rng: createRng('b') });
    expect(ci.low).toBe(0);
    expect(ci.high).toBe(2);
    // 0.5 lies in the plateau of k = 1 (cumulative 0.296 … 0.741): the 0 %-wide "interval" is [1, 1].
    const mid = bootstrapMeanInterval([0, 0, 3], { level: 0.001, resamples: 4000, rng: createRng('b') });
    expect(mid.low).toBe(1);
    expect(mid.high).toBe(1);
  });
  it('is deterministic for a seed and degenerate for constant data', () => {
    const v = [1, 4, 2, 8, 5, 7];
    const a = bootstrapMeanInterval(v, { level: 0.95, resamples: 500, rng: createRng(3) });
    const b = bootstrapMeanInterval(v, { level: 0.95, resamples: 500, rng: createRng(3) });
    expect(a).toEqual(b);
    expect(bootstrapMeanInterval([2, 2, 2], { level: 0.95, resamples: 100, rng: createRng(1) })).toMatchObject({ low: 2, high: 2 });
  });
  it('approaches the normal-theory interval for a large symmetric sample', () => {
    // 400 values evenly spread over [0, 1): mean 0.49875, SD 0.2890; SE = 0.01445; the 95 % interval is about
    // mean ± 1.96 · SE = ± 0.0283 (bootstrap SE uses divisor n, a 0.1 % difference here).
    const v = Array.from({ length: 400 }, (_, i) => i / 400);
    const ci = bootstrapMeanInterval(v, { level: 0.95, resamples: 4000, rng: createRng(11) });
    expect(ci.low).toBeCloseTo(0.49875 - 0.0283, 2);
    expect(ci.high).toBeCloseTo(0.49875 + 0.0283, 2);
  });
  it('unpaired: resamples each arm, interval of the mean difference', () => {
    // Constant arms: the difference is always 5 − 2 = 3.
    expect(bootstrapMeanDiffInterval({ control: [2, 2], treatment: [5, 5, 5] }, { level: 0.95, resamples: 200, rng: createRng(1) })).toMatchObject({ low: 3, high: 3 });
    // Control 0/1 half-half (n = 200), treatment constant 1: diff = 1 − p̂, p̂ ~ Binomial(200, ½)/200,
    // SE = √(¼/200) = 0.03536 → 95 % interval ≈ 0.5 ± 0.0693.
    const control = Array.from({ length: 200 }, (_, i) => i % 2);
    const ci = bootstrapMeanDiffInterval({ control, treatment: [1, 1, 1] }, { level: 0.95, resamples: 4000, rng: createRng(5) });
    expect(ci.low).toBeCloseTo(0.5 - 0.0693, 2);
    expect(ci.high).toBeCloseTo(0.5 + 0.0693, 2);
  });
});
