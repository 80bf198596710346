import { describe, expect, it } from 'vitest';
import { SlidingWindowEstimator } from '../../../src/abr/estimators/sliding-window.js';

const sample = (kbps: number, latencyMs: number) => ({ bytes: (kbps * 1000) / 8, transferMs: 1000, latencyMs, atMs: 0 });

describe('Sabre sliding-window estimator', () => {
  it('arithmetic mean of the last 3 samples (fewer at first)', () => {
    const e = new SlidingWindowEstimator();
    const seen: number[] = [];
    for (const kbps of [100, 200, 300, 600]) {
      e.addSample(sample(kbps, 10));
      seen.push(e.estimateKbps() as number);
    }
    // 100; (100+200)/2 = 150; (100+200+300)/3 = 200; (200+300+600)/3 = 366.67 (arithmetic, not harmonic: 300)
    expect(seen[0]).toBe(100);
    expect(seen[1]).toBe(150);
    expect(seen[2]).toBe(200);
    expect(seen[3]).toBeCloseTo(366.6667, 3);
  });

  it('minimum throughput and maximum latency over several windows', () => {
    const e = new SlidingWindowEstimator({ windowSizes: [1, 3] });
    e.addSample(sample(600, 10));
    e.addSample(sample(300, 40));
    e.addSample(sample(900, 10));
    // window 1: 900 kbps, 10 ms; window 3: 600 kbps, 20 ms → min 600, max 20.
    expect(e.estimateKbps()).toBe(600);
    expect(e.latencyEstimateMs()).toBe(20);
  });

  it('keeps only the last 20 samples', () => {
    const e = new SlidingWindowEstimator({ windowSizes: [50] });
    for (let i = 0; i < 10; i++) e.addSample(sample(10_000, 1));
    for (let i = 0; i < 20; i++) e.addSample(sample(100, 1));
    expect(e.estimateKbps()).toBe(100);
  });
});
