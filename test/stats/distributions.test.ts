import { describe, expect, it } from 'vitest';
import { incompleteBeta, normalCdf, normalQuantile, studentTCdf, studentTQuantile, studentTSurvival } from '../../src/stats/distributions.js';

// Reference values: R 4.x `pnorm`, `pt`, `qt`, `pbeta` (the same figures SciPy 1.17's scipy.stats gives).
describe('normalCdf', () => {
  it('matches pnorm in the body and far in the tails', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normalCdf(0.5)).toBeCloseTo(0.6914624612740131, 12);
    // Relative accuracy in the tail: the reason it is computed through the incomplete gamma function.
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 9);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 9);
  });
});

describe('Student t', () => {
  it('CDF matches pt', () => {
    expect(studentTCdf(2, 5)).toBeCloseTo(0.9490302605850708, 10);
    expect(studentTCdf(-1.8608, 17.776)).toBeCloseTo(0.03969828906988993, 10);
    expect(studentTCdf(0.3, 1.5)).toBeCloseTo(0.5997639015982075, 10);
    expect(studentTSurvival(30, 3) / 4.067640213581979e-5).toBeCloseTo(1, 8);
  });
  it('quantile matches qt', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 9);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.3533634348018233, 9);
    expect(studentTQuantile(0.99, 200.5)).toBeCloseTo(2.3450898664759867, 9);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 9);
  });
  it('incomplete beta: closed forms I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 14);
    expect(incompleteBeta(0.6, 1, 3)).toBeCloseTo(1 - 0.4 ** 3, 14);
  });
});

describe('normalQuantile (Acklam, relative error < 1.15e-9)', () => {
  it("matches R's qnorm", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8); // qnorm(0.975)
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167814, 7); // qnorm(0.999)
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('t quantiles fall back to it for huge degrees of freedom', () => {
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959963984540054, 7);
  });
});
