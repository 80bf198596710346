import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';

const draws = (rng: { next(): number }, n: number) => Array.from({ length: n }, () => rng.next());

describe('seeded RNG', () => {
  it('repeats exactly for a seed and differs across seeds', () => {
    expect(draws(createRng(42), 5)).toEqual(draws(createRng(42), 5));
    expect(draws(createRng(42), 5)).not.toEqual(draws(createRng(43), 5));
  });

  it('derives independent streams per key: draws in one never shift another', () => {
    const a1 = createRng(1).derive('session:a');
    const root = createRng(1);
    draws(root.derive('session:b'), 100); // consuming another stream...
    const a2 = root.derive('session:a'); // ...does not move this one
    expect(draws(a1, 10)).toEqual(draws(a2, 10));
    expect(draws(createRng(1).derive('x'), 3)).not.toEqual(draws(createRng(1).derive('y'), 3));
  });

  it('has the moments its distributions promise (10,000 draws, loose bounds)', () => {
    const rng = createRng('moments');
    const n = 10_000;
    const u = draws(rng, n);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // Uniform mean 0.5, sd of the mean 0.289/√n ≈ 0.0029: 5 sd = 0.0145.
    expect(Math.abs(u.reduce((a, b) => a + b) / n - 0.5)).toBeLessThan(0.0145);
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = z.reduce((a, b) => a + b) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(0.05); // 5 sd of the mean
    expect(Math.abs(variance - 1)).toBeLessThan(0.07); // sd of s² ≈ √(2/n) = 0.014
    const e = Array.from({ length: n }, () => rng.exponential(3));
    expect(Math.abs(e.reduce((a, b) => a + b) / n - 3)).toBeLessThan(0.15); // sd of mean 3/√n = 0.03
    const ints = Array.from({ length: n }, () => rng.int(6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});
