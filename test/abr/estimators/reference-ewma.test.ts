import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { ReferenceEwmaEstimator, createReferenceEwmaEstimator, ewmaStep } from '../../../src/abr/estimators/reference-ewma.js';
import type { ThroughputSample } from '../../../src/abr/types.js';

/** A sample of `kbps` over a 1000 ms transfer with no latency: bytes = kbps · 1000 ms / 8. */
const at = (kbps: number, atMs = 0): ThroughputSample => ({ bytes: (kbps * 1000) / 8, transferMs: 1000, latencyMs: 0, atMs });

describe('reference EWMA estimator (reference §2.2 BandwidthEstimator)', () => {
  it('has no estimate before the first sample', () => {
    expect(new ReferenceEwmaEstimator().estimateKbps()).toBeUndefined();
  });

  it('initialises on the first sample, dividing by latency + transfer by default', () => {
    const est = createReferenceEwmaEstimator();
    // 500 000 B · 8 = 4 000 000 bits over 100 + 900 = 1000 ms → 4000 kbps.
    est.addSample({ bytes: 500_000, transferMs: 900, latencyMs: 100, atMs: 1000 });
    expect(est.estimateKbps()).toBe(4000);
  });

  it('divides by transfer time only when includeLatency is false', () => {
    const est = createReferenceEwmaEstimator({ includeLatency: false });
    est.addSample({ bytes: 500_000, transferMs: 900, latencyMs: 100, atMs: 1000 });
    // 4 000 000 bits / 900 ms = 4444.44… kbps.
    expect(est.estimateKbps()).toBeCloseTo(4_000_000 / 900, 9);
  });

  it('weights the newest sample 0.7 and the previous average 0.3', () => {
    const est = new ReferenceEwmaEstimator();
    est.addSample(at(4000));
    est.addSample(at(2000)); // 0.7·2000 + 0.3·4000 = 1400 + 1200 = 2600
    expect(est.estimateKbps()).toBeCloseTo(2600, 9);
    est.addSample(at(8000)); // 0.7·8000 + 0.3·2600 = 5600 + 780 = 6380
    expect(est.estimateKbps()).toBeCloseTo(6380, 9);
  });

  it('honours a custom weight (0.5: 0.5·2000 + 0.5·4000 = 3000)', () => {
    const est = new ReferenceEwmaEstimator({ newSampleWeight: 0.5 });
    est.addSample(at(4000));
    est.addSample(at(2000));
    expect(est.estimateKbps()).toBeCloseTo(3000, 9);
    expect(ewmaStep({ previousKbps: 4000, sampleKbps: 2000, newSampleWeight: 0.25 })).toBeCloseTo(3500, 9); // 500 + 3000
  });

  it('keeps only the last 10 samples in the window, oldest first', () => {
    const est = new ReferenceEwmaEstimator();
    for (let k = 1; k <= 12; k++) est.addSample(at(k * 1000));
    expect(est.windowKbps()).toEqual([3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000]);
    expect(est.acceptedCount).toBe(12);
  });

  it('a partly filled window holds what was added', () => {
    const est = new ReferenceEwmaEstimator({ windowSize: 3 });
    est.addSample(at(1000));
    est.addSample(at(2000));
    expect(est.windowKbps()).toEqual([1000, 2000]);
  });

  it('the window does not bound the EWMA (recursive over every sample, as the reference)', () => {
    const est = new ReferenceEwmaEstimator();
    est.addSample(at(1_000_000));
    for (let i = 0; i < 10; i++) est.addSample(at(1000));
    // After 10 further samples of 1000 the first keeps weight 0.3^10 = 5.9049e-6:
    // 1000 + 5.9049e-6 · (1 000 000 − 1000) = 1000 + 5.8989951 = 1005.8989951.
    expect(est.estimateKbps()).toBeCloseTo(1005.8989951, 6);
    expect(est.windowKbps()).toEqual(new Array(10).fill(1000));
  });

  it('drops NaN, zero-time and zero-byte samples without touching the estimate or the window', () => {
    const est = new ReferenceEwmaEstimator();
    est.addSample(at(4000));
    est.addSample({ bytes: Number.NaN, transferMs: 1000, latencyMs: 0, atMs: 1 });
    est.addSample({ bytes: 1000, transferMs: Number.NaN, latencyMs: 0, atMs: 2 });
    est.addSample({ bytes: 1000, transferMs: 0, latencyMs: 0, atMs: 3 });
    est.addSample({ bytes: 0, transferMs: 1000, latencyMs: 0, atMs: 4 });
    est.addSample({ bytes: 1000, transferMs: 10, latencyMs: Number.NaN, atMs: 5 });
    expect(est.estimateKbps()).toBe(4000);
    expect(est.windowKbps()).toEqual([4000]);
    expect(est.droppedCount).toBe(5);
  });

  it('a zero-time sample before the first good one does not initialise the average', () => {
    const est = new ReferenceEwmaEstimator();
    est.addSample({ bytes: 1000, transferMs: 0, latencyMs: 0, atMs: 0 });
    expect(est.estimateKbps()).toBeUndefined();
    est.addSample(at(3000));
    expect(est.estimateKbps()).toBe(3000);
  });

  it('with includeLatency false a long latency does not lower the sample', () => {
    const est = new ReferenceEwmaEstimator({ includeLatency: false });
    // 125 000 B = 1 000 000 bits over 500 ms = 2000 kbps (the 9 s latency is ignored).
    est.addSample({ bytes: 125_000, transferMs: 500, latencyMs: 9000, atMs: 0 });
    expect(est.estimateKbps()).toBe(2000);
  });

  it('reset forgets everything', () => {
    const est = new ReferenceEwmaEstimator();
    est.addSample(at(4000));
    est.addSample({ bytes: 0, transferMs: 1, latencyMs: 0, atMs: 0 });
    est.reset();
    expect(est.estimateKbps()).toBeUndefined();
    expect(est.windowKbps()).toEqual([]);
    expect(est.acceptedCount).toBe(0);
    expect(est.droppedCount).toBe(0);
    est.addSample(at(500));
    expect(est.estimateKbps()).toBe(500);
  });

  it('rejects bad params with an InputError naming the field', () => {
    expect(() => new ReferenceEwmaEstimator({ newSampleWeight: 0 })).toThrow(InputError);
    expect(() => new ReferenceEwmaEstimator({ windowSize: 0 })).toThrow(/estimator\.reference-ewma\.windowSize/);
    expect(() => new ReferenceEwmaEstimator({ windowsize: 10 })).toThrow(InputError);
  });

  it('defaults are the reference constants', () => {
    expect(new ReferenceEwmaEstimator().params).toEqual({ newSampleWeight: 0.7, windowSize: 10, includeLatency: true });
  });

  it('property: a constant rate gives that rate; the estimate stays within the sample range', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }), (rates) => {
        const est = new ReferenceEwmaEstimator();
        for (const r of rates) est.addSample(at(r));
        const e = est.estimateKbps() as number;
        const lo = Math.min(...rates);
        const hi = Math.max(...rates);
        expect(e).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
        expect(e).toBeLessThanOrEqual(hi * (1 + 1e-12));
        expect(est.windowKbps().length).toBe(Math.min(10, rates.length));
      }),
    );
    const est = new ReferenceEwmaEstimator();
    for (let i = 0; i < 25; i++) est.addSample(at(1234));
    expect(est.estimateKbps()).toBeCloseTo(1234, 9);
  });
});
