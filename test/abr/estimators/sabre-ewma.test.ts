import { describe, expect, it } from 'vitest';
import { SabreEwmaEstimator, ewmaDecay, ewmaZeroFactor } from '../../../src/abr/estimators/sabre-ewma.js';

const sample = (kbps: number, transferMs: number, latencyMs: number) => ({ bytes: (kbps * transferMs) / 8, transferMs, latencyMs, atMs: 0 });

describe('Sabre EWMA estimator', () => {
  it('decay and zero-start factor are powers of one half', () => {
    expect(ewmaDecay(3000, 3000)).toBe(0.5);
    expect(ewmaZeroFactor(6000, 3000)).toBe(0.75);
  });

  it('corrects the zero start: one sample is the estimate itself', () => {
    const e = new SabreEwmaEstimator({ halfLivesMs: [3000, 8000], segmentMs: 3000 });
    expect(e.estimateKbps()).toBeUndefined();
    e.addSample(sample(1000, 1234, 100));
    expect(e.estimateKbps()).toBeCloseTo(1000, 9);
    expect(e.latencyEstimateMs()).toBeCloseTo(100, 9);
  });

  it('weights throughput by transfer time and latency per sample (half-life in segments)', () => {
    const e = new SabreEwmaEstimator({ halfLivesMs: [3000], segmentMs: 3000 });
    e.addSample(sample(1000, 3000, 100));
    e.addSample(sample(2000, 3000, 300));
    // Throughput: a = 0.5^(3000/3000) = 0.5 → 500, then 0.5·500 + 0.5·2000 = 1250; / (1 − 0.5²) = 1666.67.
    expect(e.estimateKbps()).toBeCloseTo(1666.6667, 3);
    // Latency, half-life 3000/3000 = 1 segment: 50, then 0.5·50 + 0.5·300 = 175; / 0.75 = 233.33.
    expect(e.latencyEstimateMs()).toBeCloseTo(233.3333, 3);
  });

  it('takes the minimum throughput and the maximum latency over the half-lives', () => {
    const e = new SabreEwmaEstimator({ halfLivesMs: [1000, 8000], segmentMs: 3000 });
    e.addSample(sample(1000, 1000, 100));
    e.addSample(sample(2000, 1000, 100));
    // h = 1000: 1666.67 (as above with a = 0.5). h = 8000: a = 0.5^(1/8) = 0.917004;
    //   (1 − a)·1000 = 82.996; a·82.996 + (1 − a)·2000 = 242.0995; / (1 − a²) = 242.0995/0.159104 = 1521.647.
    expect(e.estimateKbps()).toBeCloseTo(1521.647, 2);
    e.reset();
    expect(e.estimateKbps()).toBeUndefined();
  });

  it('drops NaN samples', () => {
    const e = new SabreEwmaEstimator({ segmentMs: 3000 });
    e.addSample({ bytes: 100, transferMs: 0, latencyMs: 1, atMs: 0 });
    expect(e.estimateKbps()).toBeUndefined();
  });
});
